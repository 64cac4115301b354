// OpenBLAS's CBLAS interface (also declares openblas_set_num_threads / openblas_get_num_threads).
// Debian's alternatives put cblas.h on the default include path.
#include <cblas.h>
