// glibc's malloc.h (malloc_trim), which Swift's Glibc module does not export. Other C libraries have
// no such header; Swift code checks `canImport(Glibc)` before using it.
#if defined(__GLIBC__) || (defined(__linux__) && !defined(__APPLE__))
#include <malloc.h>
#endif
