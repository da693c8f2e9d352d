fhe_test(golden_test toy)
