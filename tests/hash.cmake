fhe_test(hash_test toy)
