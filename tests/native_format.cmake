fhe_test(native_format_test toy)
