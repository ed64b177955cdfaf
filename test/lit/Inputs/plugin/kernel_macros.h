/* Macros a program's headers may define before the injected
 * <inxpect/inxpect.h>.  The first ones are what the kernel's own headers
 * define (include/linux/compiler_attributes.h, compiler_types.h), which a
 * samples/bpf program built with them forces in with -include: before
 * inxpect.h spelled its attributes in their reserved form, `noinline` made
 * "__attribute__((noinline, weak))" an error ("use of undeclared
 * identifier '__noinline__'").  The rest would break any bare attribute
 * name or keyword left in inxpect.h or in what inxpect-cc inserts. */
#define noinline __attribute__((__noinline__))
#define inline inline __attribute__((__gnu_inline__)) __attribute__((__unused__))
#define __always_inline inline __attribute__((__always_inline__))
#define __weak __attribute__((__weak__))
#define __used __attribute__((__used__))
#define __section(s) __attribute__((__section__(s)))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __cleanup(f) __attribute__((__cleanup__(f)))
#define weak __weak__ broken
#define used __used__ broken
#define unused __unused__ broken
#define section(s) broken
#define aligned(x) broken
#define cleanup(f) broken
#define always_inline broken
#define asm broken
