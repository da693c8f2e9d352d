# FFT backends: correctness and bit-identity of the scalar, AVX2 and AVX-512 backends.
fhe_test(fft_test toy)
