// The fuzz targets' AddressSanitizer settings (ASAN_OPTIONS in the environment still
// sets any of them): a quarantine of 16 MiB rather than 256. A freed block stays
// poisoned until 16 MiB more have been freed, many inputs' worth (an input's heap blocks
// are at most 64 KiB each; bigger ones are mappings of the test backend, poisoned while
// they wait), so a use after free is reported as before; what goes is the cost of
// cycling 256 MiB of fresh pages through the heap, a page fault per 4 KiB allocated.
extern "C" const char *__asan_default_options() { return "quarantine_size_mb=16"; }
