/* Bad inputs through the C ABI: NULL pointers, invalid UTF-8, unknown names, garbage and
 * truncated envelopes, out-of-range indexes, small buffers. None may crash; each gives its result
 * code and a last-error message. */
#include "common.h"

static const char BAD_UTF8[] = {(char)0xff, (char)0xfe, 'x', 0};

static size_t last_error_len(void) {
    size_t n = 0;
    notaverify_last_error(NULL, 0, &n);
    return n;
}

static void test_names_and_last_error(void) {
    CHECK(strcmp(notaverify_result_name(NOTAVERIFY_RESULT_OK), "NOTAVERIFY_RESULT_OK") == 0);
    CHECK(strcmp(notaverify_result_name(NOTAVERIFY_RESULT_NULL_PARAMETER), "NOTAVERIFY_RESULT_NULL_PARAMETER") == 0);
    CHECK(notaverify_result_name(12345) == NULL);
    CHECK(strcmp(notaverify_check_type_name(NOTAVERIFY_CHECK_TYPE_AUTHENTIC_TIMESTAMP), "authenticTimestamp") == 0);
    CHECK(notaverify_check_type_name(0) == NULL);
    CHECK(strcmp(notaverify_action_name(NOTAVERIFY_ACTION_LOG), "log") == 0);
    CHECK(notaverify_action_name(42) == NULL);

    /* A failure leaves a message; it can be read repeatedly and truncated; success clears it. */
    CHECK_RC(notaverify_trust_store_new(NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    size_t n = 0;
    CHECK_RC(notaverify_last_error(NULL, 0, &n), NOTAVERIFY_RESULT_BUFFER_TOO_SMALL);
    CHECK(n > 0);
    char *msg = malloc(n + 1);
    size_t n2 = 0;
    CHECK_RC(notaverify_last_error(msg, n + 1, &n2), NOTAVERIFY_RESULT_OK);
    CHECK(n2 == n && strlen(msg) == n && strstr(msg, "NULL") != NULL);
    char small[4];
    CHECK_RC(notaverify_last_error(small, sizeof small, &n2), NOTAVERIFY_RESULT_BUFFER_TOO_SMALL);
    CHECK(n2 == n && strlen(small) == 3 && strncmp(small, msg, 3) == 0);
    free(msg);
    CHECK_RC(notaverify_last_error(NULL, 5, &n2), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_last_error(small, sizeof small, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);

    notaverify_trust_store *store = NULL;
    CHECK_RC(notaverify_trust_store_new(&store), NOTAVERIFY_RESULT_OK);
    CHECK(last_error_len() == 0);
    char empty[8] = "garbage";
    CHECK_RC(notaverify_last_error(empty, sizeof empty, &n2), NOTAVERIFY_RESULT_OK);
    CHECK(n2 == 0 && empty[0] == 0);
    notaverify_trust_store_free(store);

    /* Freeing NULL is a no-op. */
    notaverify_trust_store_free(NULL);
    notaverify_policy_free(NULL);
    notaverify_verifier_free(NULL);
    notaverify_outcome_free(NULL);
}

static void test_store_and_policy(void) {
    notaverify_trust_store *store = NULL;
    CHECK_RC(notaverify_trust_store_new(&store), NOTAVERIFY_RESULT_OK);
    size_t len = 0;
    uint8_t *pem = read_fixture("truststore/x509/ca/test-roots/p256-root.pem", &len);

    CHECK_RC(notaverify_trust_store_add(NULL, "ca", "n", pem, len), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_trust_store_add(store, NULL, "n", pem, len), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_trust_store_add(store, "ca", NULL, pem, len), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_trust_store_add(store, "ca", "n", NULL, len), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_trust_store_add(store, BAD_UTF8, "n", pem, len), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_trust_store_add(store, "ca", BAD_UTF8, pem, len), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_trust_store_add(store, "x509", "n", pem, len), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK(last_error_len() > 0);
    /* Garbage, empty and truncated certificates are refused, not crashed on. */
    static const uint8_t garbage[] = "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
    CHECK(notaverify_trust_store_add(store, "ca", "n", garbage, sizeof garbage - 1) != NOTAVERIFY_RESULT_OK);
    CHECK(notaverify_trust_store_add(store, "ca", "n", NULL, 0) != NOTAVERIFY_RESULT_OK);
    CHECK(notaverify_trust_store_add(store, "ca", "n", pem, len / 2) != NOTAVERIFY_RESULT_OK);
    CHECK_RC(notaverify_trust_store_add(store, "ca", "n", pem, len), NOTAVERIFY_RESULT_OK);
    free(pem);

    notaverify_policy *policy = (notaverify_policy *)&len;
    static const char *bad_policies[] = {
        "", "{", "null", "[]", "{\"version\":\"1.0\"}",
        "{\"version\":\"9.9\",\"trustPolicies\":[]}",
        "{\"version\":\"1.0\",\"trustPolicies\":[{\"name\":\"p\",\"registryScopes\":[\"*\"],"
        "\"signatureVerification\":{\"level\":\"paranoid\"},\"trustStores\":[],\"trustedIdentities\":[]}]}",
    };
    for (size_t i = 0; i < sizeof bad_policies / sizeof bad_policies[0]; i++) {
        policy = (notaverify_policy *)&len;
        notaverify_result rc = notaverify_policy_from_json((const uint8_t *)bad_policies[i], strlen(bad_policies[i]), &policy);
        CHECK(rc != NOTAVERIFY_RESULT_OK && rc != NOTAVERIFY_RESULT_PANIC);
        CHECK(policy == NULL);
        CHECK(last_error_len() > 0);
    }
    CHECK_RC(notaverify_policy_from_json(NULL, 3, &policy), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_policy_from_json((const uint8_t *)"{}", 2, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK(notaverify_policy_from_json(NULL, 0, &policy) != NOTAVERIFY_RESULT_OK);
    CHECK(notaverify_policy_from_json((const uint8_t *)BAD_UTF8, 3, &policy) != NOTAVERIFY_RESULT_OK);

    uint8_t *json = read_fixture("trustpolicy.json", &len);
    CHECK_RC(notaverify_policy_from_json(json, len, &policy), NOTAVERIFY_RESULT_OK);
    free(json);

    notaverify_verifier *v = (notaverify_verifier *)&len;
    CHECK_RC(notaverify_verifier_new(policy, NULL, &v), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK(v == NULL);
    /* No OCI policy: a verifier of blobs only (test_artifacts.c). */
    CHECK_RC(notaverify_verifier_new(NULL, store, &v), NOTAVERIFY_RESULT_OK);
    CHECK(v != NULL);
    notaverify_verifier_free(v);
    CHECK_RC(notaverify_verifier_new(policy, store, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verifier_new(policy, store, &v), NOTAVERIFY_RESULT_OK);
    notaverify_verifier_free(v);
    notaverify_policy_free(policy);
    notaverify_trust_store_free(store);

    CHECK_RC(notaverify_verifier_from_config_dir(NULL, &v), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verifier_from_config_dir(fixtures, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verifier_from_config_dir(BAD_UTF8, &v), NOTAVERIFY_RESULT_INVALID_UTF8);
    v = (notaverify_verifier *)&len;
    notaverify_result rc = notaverify_verifier_from_config_dir("/nonexistent/notaverify-config", &v);
    CHECK(rc != NOTAVERIFY_RESULT_OK && rc != NOTAVERIFY_RESULT_PANIC);
    CHECK(v == NULL);
}

static void test_verify_arguments(notaverify_verifier *v) {
    size_t len = 0;
    uint8_t *env = read_fixture("envelopes/p256.jws", &len);
    notaverify_outcome *o = NULL;
    notaverify_metadata_entry md[] = {{"buildId", "101"}, {"buildId", "102"}};
    notaverify_metadata_entry md_null[] = {{"buildId", NULL}};
    notaverify_metadata_entry md_bad[] = {{BAD_UTF8, "x"}};

#define VERIFY(...) notaverify_verify(__VA_ARGS__)
    CHECK_RC(VERIFY(NULL, env, len, JOSE, REFERENCE, NULL, NULL, 0, AT_2030, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(VERIFY(v, NULL, len, JOSE, REFERENCE, NULL, NULL, 0, AT_2030, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(VERIFY(v, env, len, NULL, REFERENCE, NULL, NULL, 0, AT_2030, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(VERIFY(v, env, len, JOSE, NULL, NULL, NULL, 0, AT_2030, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(VERIFY(v, env, len, JOSE, REFERENCE, NULL, NULL, 1, AT_2030, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(VERIFY(v, env, len, JOSE, REFERENCE, NULL, md_null, 1, AT_2030, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(VERIFY(v, env, len, JOSE, REFERENCE, NULL, NULL, 0, AT_2030, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(VERIFY(v, env, len, BAD_UTF8, REFERENCE, NULL, NULL, 0, AT_2030, &o), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(VERIFY(v, env, len, JOSE, BAD_UTF8, NULL, NULL, 0, AT_2030, &o), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(VERIFY(v, env, len, JOSE, REFERENCE, BAD_UTF8, NULL, 0, AT_2030, &o), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(VERIFY(v, env, len, JOSE, REFERENCE, NULL, md_bad, 1, AT_2030, &o), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(VERIFY(v, env, len, JOSE, REFERENCE, NULL, md, 2, AT_2030, &o), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK(o == NULL);
    /* Request errors from the core. */
    CHECK_RC(VERIFY(v, env, len, JOSE, "registry.example/app:v1", NULL, NULL, 0, AT_2030, &o), NOTAVERIFY_RESULT_INVALID_INPUT);
    CHECK_RC(VERIFY(v, env, len, JOSE, "registry.example/app@sha256:XYZ", NULL, NULL, 0, AT_2030, &o), NOTAVERIFY_RESULT_INVALID_INPUT);
    CHECK_RC(VERIFY(v, env, len, JOSE, REFERENCE,
                    "sha256:0000000000000000000000000000000000000000000000000000000000000000", NULL, 0, AT_2030, &o),
             NOTAVERIFY_RESULT_INVALID_INPUT);
    CHECK(o == NULL && last_error_len() > 0);
#undef VERIFY
    free(env);
}

/* notaverify_verify_many: NULL arrays and unusable items fail the whole call before anything is
 * verified, name the item, and leave every outcome NULL. */
static void test_verify_many_arguments(notaverify_verifier *v) {
    size_t len = 0;
    uint8_t *env = read_fixture("envelopes/p256.jws", &len);
    notaverify_metadata_entry twice[] = {{"buildId", "101"}, {"buildId", "102"}};
    const notaverify_batch_item good = {env, len, JOSE, REFERENCE, NULL, NULL, 0, AT_2030};
    notaverify_batch_item items[2] = {good, good};
    notaverify_outcome *outcomes[2];
    notaverify_result results[2];

    CHECK_RC(notaverify_verify_many(v, NULL, 0, 0, NULL, NULL), NOTAVERIFY_RESULT_OK);
    CHECK_RC(notaverify_verify_many(NULL, items, 2, 0, outcomes, results), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK(outcomes[0] == NULL && outcomes[1] == NULL);
    CHECK_RC(notaverify_verify_many(v, NULL, 2, 0, outcomes, results), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_many(v, items, 2, 0, NULL, results), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_many(v, items, 2, 0, outcomes, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_many(v, items, SIZE_MAX, 0, outcomes, results), NOTAVERIFY_RESULT_INVALID_ARGUMENT);

    struct {
        notaverify_batch_item item;
        notaverify_result want;
    } bad[] = {
        {{env, len, JOSE, NULL, NULL, NULL, 0, AT_2030}, NOTAVERIFY_RESULT_NULL_PARAMETER},
        {{NULL, len, JOSE, REFERENCE, NULL, NULL, 0, AT_2030}, NOTAVERIFY_RESULT_NULL_PARAMETER},
        {{env, len, JOSE, REFERENCE, NULL, NULL, 1, AT_2030}, NOTAVERIFY_RESULT_NULL_PARAMETER},
        {{env, len, BAD_UTF8, REFERENCE, NULL, NULL, 0, AT_2030}, NOTAVERIFY_RESULT_INVALID_UTF8},
        {{env, len, JOSE, REFERENCE, BAD_UTF8, NULL, 0, AT_2030}, NOTAVERIFY_RESULT_INVALID_UTF8},
        {{env, len, JOSE, REFERENCE, NULL, twice, 2, AT_2030}, NOTAVERIFY_RESULT_INVALID_ARGUMENT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        items[1] = bad[i].item;
        outcomes[0] = outcomes[1] = (notaverify_outcome *)&len; /* must be reset to NULL */
        CHECK_RC(notaverify_verify_many(v, items, 2, 0, outcomes, results), bad[i].want);
        CHECK(outcomes[0] == NULL && outcomes[1] == NULL);
        char msg[256];
        size_t n = 0;
        notaverify_last_error(msg, sizeof msg, &n);
        CHECK(strncmp(msg, "items[1]: ", 10) == 0);
    }
    free(env);
}

/* A verification that returns OK must not say verified; anything else must be a clean error. */
static void expect_not_verified(notaverify_verifier *v, const uint8_t *env, size_t len, const char *media, const char *what) {
    notaverify_outcome *o = NULL;
    notaverify_result rc = notaverify_verify(v, env, len, media, REFERENCE, NULL, NULL, 0, AT_2030, &o);
    if (rc == NOTAVERIFY_RESULT_OK) {
        bool verified = true;
        CHECK_RC(notaverify_outcome_verified(o, &verified), NOTAVERIFY_RESULT_OK);
        if (verified) fprintf(stderr, "  %s verified\n", what);
        CHECK(!verified);
        char *json = outcome_json(o);
        CHECK(json != NULL);
        free(json);
    } else {
        CHECK(rc != NOTAVERIFY_RESULT_PANIC);
        CHECK(o == NULL);
        CHECK(last_error_len() > 0);
    }
    notaverify_outcome_free(o);
}

static void test_garbage_and_truncated(notaverify_verifier *v) {
    static const char *const files[] = {"envelopes/p256.jws", "envelopes/p256.cose", "envelopes/rsa2048.cose"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t len = 0;
        uint8_t *env = read_fixture(files[f], &len);
        const char *media = strstr(files[f], ".cose") ? COSE : JOSE;
        const char *other = strstr(files[f], ".cose") ? JOSE : COSE;
        /* Every short prefix, then every 13th length: never verified, never a crash. */
        for (size_t n = 0; n < len; n += (n < 64 ? 1 : 13)) expect_not_verified(v, env, n, media, "a truncated envelope");
        expect_not_verified(v, env, len, other, "an envelope with the other media type");
        expect_not_verified(v, env, len, "application/octet-stream", "an envelope with an unknown media type");
        /* Single flipped bytes spread over the envelope, except in the unsigned signing agent
         * (an unprotected header: changing it legitimately leaves the signature valid). */
        size_t agent = len;
        for (size_t i = 0; i + 12 <= len; i++)
            if (memcmp(env + i, "signingAgent", 12) == 0) agent = i;
        for (size_t i = 0; i < len; i += len / 37 + 1) {
            if (i + 32 >= agent && i < agent + 64) continue;
            uint8_t *copy = malloc(len);
            memcpy(copy, env, len);
            copy[i] ^= 0x5a;
            expect_not_verified(v, copy, len, media, "a corrupted envelope");
            free(copy);
        }
        free(env);
    }
    /* Garbage: deterministic pseudo-random bytes, empty input, NULL with length 0. */
    uint32_t x = 12345;
    uint8_t junk[2048];
    for (size_t i = 0; i < sizeof junk; i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (uint8_t)(x >> 16);
    }
    expect_not_verified(v, junk, sizeof junk, JOSE, "garbage");
    expect_not_verified(v, junk, sizeof junk, COSE, "garbage");
    expect_not_verified(v, (const uint8_t *)"{}", 2, JOSE, "{}");
    expect_not_verified(v, NULL, 0, JOSE, "an empty envelope");
    expect_not_verified(v, NULL, 0, COSE, "an empty envelope");
}

static void test_outcome_accessors(notaverify_verifier *v) {
    notaverify_outcome *o = verify_fixture(v, "envelopes/p256.jws", NULL, 0);
    if (!o) return;
    bool b = false;
    size_t n = 0;
    notaverify_check_type t = 0;
    notaverify_action a = 0;
    char buf[8];
    CHECK_RC(notaverify_outcome_verified(NULL, &b), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_outcome_verified(o, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_outcome_signature_count(NULL, &n), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_outcome_signature_count(o, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_outcome_signature_verified(o, 1, &b), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK_RC(notaverify_outcome_check_count(o, 1, &n), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK_RC(notaverify_outcome_check_count(o, SIZE_MAX, &n), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK_RC(notaverify_outcome_check_type(o, 0, 99, &t), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK_RC(notaverify_outcome_check_action(o, 0, SIZE_MAX, &a), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK_RC(notaverify_outcome_check_passed(o, 0, 99, &b), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK_RC(notaverify_outcome_check_type(o, 0, 0, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_outcome_check_error(o, 0, 99, buf, sizeof buf, &n), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK_RC(notaverify_outcome_signer_subject(o, 1, buf, sizeof buf, &n), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK_RC(notaverify_outcome_signer_subject(NULL, 0, buf, sizeof buf, &n), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_outcome_signer_subject(o, 0, NULL, sizeof buf, &n), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_outcome_signer_subject(o, 0, buf, sizeof buf, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    /* A small buffer gets a NUL-terminated prefix and the full length. */
    CHECK_RC(notaverify_outcome_signer_fingerprint(o, 0, buf, sizeof buf, &n), NOTAVERIFY_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == 64 && strlen(buf) == sizeof buf - 1);
    CHECK_RC(notaverify_outcome_json(o, buf, sizeof buf, &n), NOTAVERIFY_RESULT_BUFFER_TOO_SMALL);
    CHECK(n > sizeof buf && buf[0] == '{' && strlen(buf) == sizeof buf - 1);
    CHECK_RC(notaverify_outcome_json(NULL, buf, sizeof buf, &n), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_outcome_error_message(o, buf, sizeof buf, &n), NOTAVERIFY_RESULT_NOT_PRESENT);
    CHECK_RC(notaverify_outcome_signature_error(o, 0, buf, sizeof buf, &n), NOTAVERIFY_RESULT_NOT_PRESENT);
    notaverify_outcome_free(o);

    /* A chain that does not parse leaves no signer. */
    size_t len = 0;
    uint8_t *env = read_fixture("envelopes/p256.jws", &len);
    notaverify_outcome *bad = NULL;
    if (notaverify_verify(v, env, len / 2, JOSE, REFERENCE, NULL, NULL, 0, AT_2030, &bad) == NOTAVERIFY_RESULT_OK) {
        size_t sigs = 0;
        notaverify_outcome_signature_count(bad, &sigs);
        if (sigs == 1) CHECK_RC(notaverify_outcome_signer_subject(bad, 0, buf, sizeof buf, &n), NOTAVERIFY_RESULT_NOT_PRESENT);
        CHECK_RC(notaverify_outcome_error_code(bad, NULL, 0, &n), NOTAVERIFY_RESULT_BUFFER_TOO_SMALL);
    }
    notaverify_outcome_free(bad);
    free(env);
}

int main(int argc, char **argv) {
    init(argc, argv);
    test_names_and_last_error();
    test_store_and_policy();
    notaverify_verifier *v = fixture_verifier(NULL);
    test_verify_arguments(v);
    test_verify_many_arguments(v);
    test_garbage_and_truncated(v);
    test_outcome_accessors(v);
    notaverify_verifier_free(v);
    return finish("test_inputs");
}
