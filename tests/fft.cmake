# FFT backends: correctness and scalar/AVX2 bit-identity.
fhe_test(fft_test toy)
