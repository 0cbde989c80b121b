/* Helpers shared by the C test programs: fixture loading, checks that report the library's last
 * error, and a verifier built in memory from core/tests/fixtures. Each program takes the fixture
 * directory as argv[1] and exits non-zero when a check fails. */
#ifndef NOTAVERIFY_TEST_COMMON_H
#define NOTAVERIFY_TEST_COMMON_H

#include <notaverify.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2030-01-01T00:00:00Z: inside every fixture certificate's validity, after the `expired`
 * envelope's expiry (2025-06-02), before the `not-yet-valid` leaf (2098). */
#define AT_2030 INT64_C(1893456000)
#define TARGET_DIGEST "sha256:4be9476c654deb6accec91e0cbe4b076a38fbf23db4abb0904f02e43c1432921"
#define REFERENCE "registry.example/app@" TARGET_DIGEST
#define JOSE "application/jose+json"
#define COSE "application/cose"

static int failures = 0;
static const char *fixtures = NULL;

static void print_last_error(void) {
    char msg[512];
    size_t n = 0;
    notaverify_last_error(msg, sizeof msg, &n);
    fprintf(stderr, "    last error: %s\n", msg);
}

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            print_last_error();                                                      \
            failures++;                                                              \
        }                                                                            \
    } while (0)

/* Checks that `call` returns `want`; prints both names otherwise. */
#define CHECK_RC(call, want)                                                                     \
    do {                                                                                         \
        notaverify_result rc_ = (call);                                                          \
        if (rc_ != (notaverify_result)(want)) {                                                  \
            const char *got_ = notaverify_result_name(rc_);                                      \
            fprintf(stderr, "%s:%d: %s returned %s (%u), want %s\n", __FILE__, __LINE__, #call, \
                    got_ ? got_ : "?", (unsigned)rc_, #want);                                    \
            print_last_error();                                                                  \
            failures++;                                                                          \
        }                                                                                        \
    } while (0)

static char *fixture_path(const char *rel) {
    size_t n = strlen(fixtures) + strlen(rel) + 2;
    char *p = malloc(n);
    if (!p) abort();
    snprintf(p, n, "%s/%s", fixtures, rel);
    return p;
}

/* Reads fixtures/<rel> into a malloc'd buffer; aborts when it cannot. */
static uint8_t *read_fixture(const char *rel, size_t *len) {
    char *path = fixture_path(rel);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(size > 0 ? (size_t)size : 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    free(path);
    *len = (size_t)size;
    return buf;
}

/* Copies a string out of the library with the size-query-then-copy pattern; the caller frees it.
 * Returns NULL (and the result in *rc_out when given) when the accessor fails. */
typedef notaverify_result (*string_getter)(const notaverify_outcome *, size_t, char *, size_t, size_t *);

static char *get_string(string_getter get, const notaverify_outcome *o, size_t sig, notaverify_result *rc_out) {
    size_t n = 0;
    notaverify_result rc = get(o, sig, NULL, 0, &n);
    if (rc_out) *rc_out = rc;
    if (rc != NOTAVERIFY_RESULT_BUFFER_TOO_SMALL) return NULL;
    char *s = malloc(n + 1);
    if (!s) abort();
    rc = get(o, sig, s, n + 1, &n);
    if (rc_out) *rc_out = rc;
    if (rc != NOTAVERIFY_RESULT_OK) {
        free(s);
        return NULL;
    }
    return s;
}

static char *outcome_json(const notaverify_outcome *o) {
    size_t n = 0;
    if (notaverify_outcome_json(o, NULL, 0, &n) != NOTAVERIFY_RESULT_BUFFER_TOO_SMALL) return NULL;
    char *s = malloc(n + 1);
    if (!s) abort();
    if (notaverify_outcome_json(o, s, n + 1, &n) != NOTAVERIFY_RESULT_OK) {
        free(s);
        return NULL;
    }
    return s;
}

static const char *const ROOTS[] = {"rsa2048", "rsa3072", "rsa4096", "p256", "p384", "p521"};

/* Trust store `ca:test-roots` (six roots) + `signingAuthority:test-sa`, as the fixture config. */
static notaverify_trust_store *fixture_store(void) {
    notaverify_trust_store *store = NULL;
    CHECK_RC(notaverify_trust_store_new(&store), NOTAVERIFY_RESULT_OK);
    for (size_t i = 0; i < sizeof ROOTS / sizeof ROOTS[0]; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "truststore/x509/ca/test-roots/%s-root.pem", ROOTS[i]);
        size_t len = 0;
        uint8_t *pem = read_fixture(rel, &len);
        CHECK_RC(notaverify_trust_store_add(store, "ca", "test-roots", pem, len), NOTAVERIFY_RESULT_OK);
        free(pem);
    }
    size_t len = 0;
    uint8_t *pem = read_fixture("truststore/x509/signingAuthority/test-sa/sa-root.pem", &len);
    CHECK_RC(notaverify_trust_store_add(store, "signingAuthority", "test-sa", pem, len), NOTAVERIFY_RESULT_OK);
    free(pem);
    return store;
}

static notaverify_policy *policy_from_string(const char *json) {
    notaverify_policy *policy = NULL;
    CHECK_RC(notaverify_policy_from_json((const uint8_t *)json, strlen(json), &policy), NOTAVERIFY_RESULT_OK);
    return policy;
}

/* A verifier over fixture_store() and the given policy document (NULL: trustpolicy.json). */
static notaverify_verifier *fixture_verifier(const char *policy_json) {
    notaverify_policy *policy = NULL;
    if (policy_json) {
        policy = policy_from_string(policy_json);
    } else {
        size_t len = 0;
        uint8_t *json = read_fixture("trustpolicy.json", &len);
        CHECK_RC(notaverify_policy_from_json(json, len, &policy), NOTAVERIFY_RESULT_OK);
        free(json);
    }
    notaverify_trust_store *store = fixture_store();
    notaverify_verifier *verifier = NULL;
    CHECK_RC(notaverify_verifier_new(policy, store, &verifier), NOTAVERIFY_RESULT_OK);
    /* The verifier keeps its own copies. */
    notaverify_policy_free(policy);
    notaverify_trust_store_free(store);
    return verifier;
}

/* Verifies fixtures/<rel> for REFERENCE at AT_2030; returns the outcome (NULL on an error). */
static notaverify_outcome *verify_fixture(const notaverify_verifier *v, const char *rel,
                                          const notaverify_metadata_entry *md, size_t md_len) {
    size_t len = 0;
    uint8_t *env = read_fixture(rel, &len);
    const char *media = strstr(rel, ".cose") ? COSE : JOSE;
    notaverify_outcome *o = NULL;
    CHECK_RC(notaverify_verify(v, env, len, media, REFERENCE, TARGET_DIGEST, md, md_len, AT_2030, &o),
             NOTAVERIFY_RESULT_OK);
    free(env);
    return o;
}

static int finish(const char *name) {
    if (failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

static void init(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s <core/tests/fixtures>\n", argv[0]);
        exit(2);
    }
    fixtures = argv[1];
}

#endif
