fhe_test(real_params_test real)
