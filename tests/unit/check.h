#ifndef ZC_TEST_CHECK_H
#define ZC_TEST_CHECK_H

/* The whole test framework: count failed checks, keep going, and make the
 * exit status say whether any failed, so one run shows every failure. */

#include <stdio.h>

static int check_failures;

#define CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, \
				__LINE__, __func__, #cond); \
			check_failures++; \
		} \
	} while (0)

/* For table-driven tests: names the case that failed. */
#define CHECK_MSG(cond, what) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: %s: %s: CHECK(%s) failed\n", __FILE__, \
				__LINE__, __func__, (what), #cond); \
			check_failures++; \
		} \
	} while (0)

#define CHECK_EQ(a, b) \
	do { \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b); \
		if (check_a_ != check_b_) { \
			fprintf(stderr, "%s:%d: %s: CHECK_EQ(%s, %s) failed: %lld != %lld\n", \
				__FILE__, __LINE__, __func__, #a, #b, check_a_, check_b_); \
			check_failures++; \
		} \
	} while (0)

#define RUN(test) \
	do { \
		int check_before_ = check_failures; \
		test(); \
		fprintf(stderr, "%s %s\n", check_failures == check_before_ ? "ok  " : "FAIL", \
			#test); \
	} while (0)

static inline int check_exit_status(void)
{
	if (check_failures)
		fprintf(stderr, "%d check(s) failed\n", check_failures);
	return check_failures ? 1 : 0;
}

#endif
