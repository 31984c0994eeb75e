#ifndef VLEDGER_CLIBPQ_SHIM_H
#define VLEDGER_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
