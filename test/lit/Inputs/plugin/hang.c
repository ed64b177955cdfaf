/* Parsing waits for standard input to close: interrupt.py signals
 * inxpect-cc while clang is reading it. */
#include "/dev/stdin"
int f(void) { return 0; }
