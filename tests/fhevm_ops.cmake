# FHEVM-specific operators (MulDiv, TrivialEncrypt, Rand/RandBounded) on the toy set.
fhe_test(fhevm_ops_test toy)
