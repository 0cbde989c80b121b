/* Many handle lifecycles (run under valgrind, they show that every handle is freed once and
 * nothing leaks), and one verifier shared by several threads, each with its own last error.
 * argv[2], if given, is the number of lifecycles (default 1000). */
#include "common.h"

#include <pthread.h>

#define THREADS 4
#define PER_THREAD 25

static const char *const ROTATION[] = {
    "envelopes/p256.jws", "envelopes/p256.cose", "envelopes/untrusted.jws",
    "envelopes/expired.cose", "envelopes/tampered/p256-signature.jws", "envelopes/plugin.cose",
};
#define ROTATION_LEN (sizeof ROTATION / sizeof ROTATION[0])

struct envelope {
    uint8_t *bytes;
    size_t len;
    const char *media;
    bool valid;
};
static struct envelope envelopes[ROTATION_LEN];

/* Verifies envelope i, reads every accessor, frees the outcome; returns the verdict. */
static bool verify_and_read(const notaverify_verifier *v, size_t i) {
    const struct envelope *e = &envelopes[i % ROTATION_LEN];
    notaverify_outcome *o = NULL;
    CHECK_RC(notaverify_verify(v, e->bytes, e->len, e->media, REFERENCE, NULL, NULL, 0, AT_2030, &o), NOTAVERIFY_RESULT_OK);
    if (!o) return false;
    bool verified = !e->valid;
    size_t sigs = 0, checks = 0, n = 0;
    char buf[128];
    CHECK_RC(notaverify_outcome_verified(o, &verified), NOTAVERIFY_RESULT_OK);
    CHECK(verified == e->valid);
    CHECK_RC(notaverify_outcome_signature_count(o, &sigs), NOTAVERIFY_RESULT_OK);
    CHECK_RC(notaverify_outcome_check_count(o, 0, &checks), NOTAVERIFY_RESULT_OK);
    for (size_t c = 0; c < checks; c++) {
        notaverify_check_type t;
        notaverify_action a;
        bool passed;
        notaverify_outcome_check_type(o, 0, c, &t);
        notaverify_outcome_check_action(o, 0, c, &a);
        notaverify_outcome_check_passed(o, 0, c, &passed);
        notaverify_outcome_check_error(o, 0, c, buf, sizeof buf, &n);
    }
    notaverify_outcome_signer_subject(o, 0, buf, sizeof buf, &n);
    notaverify_outcome_signature_error(o, 0, buf, sizeof buf, &n);
    char *json = outcome_json(o);
    CHECK(json != NULL);
    free(json);
    notaverify_outcome_free(o);
    return verified;
}

static void test_outcome_lifecycles(const notaverify_verifier *v, long count) {
    long verified = 0;
    for (long i = 0; i < count; i++) verified += verify_and_read(v, (size_t)i);
    long expected = 0;
    for (long i = 0; i < count; i++) expected += envelopes[i % ROTATION_LEN].valid;
    CHECK(verified == expected);
}

static void test_verifier_lifecycles(long count) {
    size_t plen = 0, clen = 0;
    uint8_t *policy_json = read_fixture("trustpolicy.json", &plen);
    uint8_t *root = read_fixture("truststore/x509/ca/test-roots/p256-root.pem", &clen);
    for (long i = 0; i < count; i++) {
        notaverify_trust_store *store = NULL;
        notaverify_policy *policy = NULL;
        notaverify_verifier *v = NULL;
        CHECK_RC(notaverify_trust_store_new(&store), NOTAVERIFY_RESULT_OK);
        CHECK_RC(notaverify_trust_store_add(store, "ca", "test-roots", root, clen), NOTAVERIFY_RESULT_OK);
        CHECK_RC(notaverify_policy_from_json(policy_json, plen, &policy), NOTAVERIFY_RESULT_OK);
        CHECK_RC(notaverify_verifier_new(policy, store, &v), NOTAVERIFY_RESULT_OK);
        /* Free in varying orders: handles do not borrow from each other. */
        if (i % 2) {
            notaverify_trust_store_free(store);
            notaverify_policy_free(policy);
            verify_and_read(v, (size_t)i);
        } else {
            verify_and_read(v, (size_t)i);
            notaverify_policy_free(policy);
            notaverify_trust_store_free(store);
        }
        /* Failed constructions leave nothing behind either. */
        notaverify_policy *bad = NULL;
        CHECK(notaverify_policy_from_json((const uint8_t *)"{", 1, &bad) != NOTAVERIFY_RESULT_OK);
        CHECK(bad == NULL);
        notaverify_verifier_free(v);
    }
    free(policy_json);
    free(root);
}

static void test_config_dir_lifecycles(long count) {
    for (long i = 0; i < count; i++) {
        notaverify_verifier *v = NULL;
        CHECK_RC(notaverify_verifier_from_config_dir(fixtures, &v), NOTAVERIFY_RESULT_OK);
        notaverify_verifier_free(v);
    }
}

struct worker {
    const notaverify_verifier *verifier;
    size_t offset;
    int failures;
};

static void *work(void *arg) {
    struct worker *w = arg;
    for (size_t i = 0; i < PER_THREAD; i++) {
        const struct envelope *e = &envelopes[(w->offset + i) % ROTATION_LEN];
        notaverify_outcome *o = NULL;
        if (notaverify_verify(w->verifier, e->bytes, e->len, e->media, REFERENCE, NULL, NULL, 0, AT_2030, &o) != NOTAVERIFY_RESULT_OK) {
            w->failures++;
            continue;
        }
        bool verified = !e->valid;
        notaverify_outcome_verified(o, &verified);
        if (verified != e->valid) w->failures++;
        notaverify_outcome_free(o);
        /* This thread's last error is its own. */
        if (notaverify_trust_store_new(NULL) != NOTAVERIFY_RESULT_NULL_PARAMETER) w->failures++;
        size_t n = 0;
        notaverify_last_error(NULL, 0, &n);
        if (n == 0) w->failures++;
    }
    return NULL;
}

static void test_threads(const notaverify_verifier *v) {
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    /* The main thread's last error is "" and must stay so while the workers fail calls. */
    notaverify_trust_store *s = NULL;
    CHECK_RC(notaverify_trust_store_new(&s), NOTAVERIFY_RESULT_OK);
    notaverify_trust_store_free(s);
    for (size_t t = 0; t < THREADS; t++) {
        workers[t] = (struct worker){v, t, 0};
        CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0);
    }
    for (size_t t = 0; t < THREADS; t++) {
        CHECK(pthread_join(threads[t], NULL) == 0);
        CHECK(workers[t].failures == 0);
    }
    size_t n = 99;
    notaverify_last_error(NULL, 0, &n);
    CHECK(n == 0);
}

int main(int argc, char **argv) {
    init(argc, argv);
    long count = argc > 2 ? strtol(argv[2], NULL, 10) : 1000;
    for (size_t i = 0; i < ROTATION_LEN; i++) {
        envelopes[i].bytes = read_fixture(ROTATION[i], &envelopes[i].len);
        envelopes[i].media = strstr(ROTATION[i], ".cose") ? COSE : JOSE;
        envelopes[i].valid = i < 2;
    }
    notaverify_verifier *v = fixture_verifier(NULL);
    test_outcome_lifecycles(v, count);
    test_verifier_lifecycles(count);
    test_config_dir_lifecycles(count / 10);
    test_threads(v);
    notaverify_verifier_free(v);
    for (size_t i = 0; i < ROTATION_LEN; i++) free(envelopes[i].bytes);
    printf("test_lifecycle: %ld outcome and %ld verifier lifecycles\n", count, count);
    return finish("test_lifecycle");
}
