/*
 * A stand-in for ATF's <atf-c.h>, enough to compile a test program on a
 * machine without ATF (the oracle's well-formedness test). Not a test runner.
 */
#ifndef STANDIN_ATF_C_H
#define STANDIN_ATF_C_H
#include <stdbool.h>

typedef struct atf_tc atf_tc_t;
typedef struct atf_tp atf_tp_t;
typedef struct atf_error *atf_error_t;

atf_error_t atf_no_error(void);
void atf_tc_set_md_var(atf_tc_t *, const char *, const char *, ...);
void atf_tc_fail_requirement(const char *, int, const char *, ...);
atf_error_t atf_tp_add_tc(atf_tp_t *, atf_tc_t *);

#define ATF_TC(tc) static atf_tc_t *atfu_##tc##_tc
#define ATF_TC_HEAD(tc, tcptr) static void atfu_##tc##_head(atf_tc_t *tcptr)
#define ATF_TC_BODY(tc, tcptr) static void atfu_##tc##_body(const atf_tc_t *tcptr)
#define ATF_TP_ADD_TCS(tps) atf_error_t atfu_tp_add_tcs(atf_tp_t *tps)
#define ATF_TP_ADD_TC(tp, tc) \
	((void)atfu_##tc##_head, (void)atfu_##tc##_body, (void)atf_tp_add_tc(tp, atfu_##tc##_tc))

#define ATF_REQUIRE(e) do { if (!(e)) atf_tc_fail_requirement(__FILE__, __LINE__, "%s", #e); } while (0)
#define ATF_REQUIRE_MSG(e, ...) do { if (!(e)) atf_tc_fail_requirement(__FILE__, __LINE__, __VA_ARGS__); } while (0)
#define ATF_REQUIRE_EQ(a, b) ATF_REQUIRE((a) == (b))
#define ATF_REQUIRE_ERRNO(exp, e) ATF_REQUIRE((e) && errno == (exp))
#endif
