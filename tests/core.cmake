fhe_test(core_test toy)
