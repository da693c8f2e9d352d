fhe_test(u256_test toy)
