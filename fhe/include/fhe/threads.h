// Worker threads used inside the engine (key generation, Fourier conversion). Results never
// depend on the count (DESIGN.md §3): each worker writes disjoint outputs from fixed stream
// windows.
#pragma once

namespace fhe {

// 0 = automatic (FHE_THREADS environment variable, else the hardware concurrency).
void set_thread_count(unsigned n);
unsigned thread_count();

}  // namespace fhe
