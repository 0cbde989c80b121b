/* Artifacts with several envelopes, OCI image layouts and blobs through the C ABI, with the
 * options struct (user metadata, max_signatures, all_signatures), and their bad arguments.
 * argv[1]: core/tests/fixtures; argv[2]: cli/tests/fixtures (the OCI layouts made by
 * cli/tests/fixtures/make_layouts.py, their configuration directory, signed on 2025-06-01). */
#include "common.h"

/* 2025-07-01T00:00:00Z: when the CLI tests verify the layouts. */
#define AT_JULY_2025 INT64_C(1751328000)
#define LAYOUT_SCOPE "example.com/app"

static const char BAD_UTF8[] = {(char)0xff, (char)0xfe, 'x', 0};
static const char *cli_fixtures = NULL;

/* An envelope read from core/tests/fixtures/<rel>, its media type from the name. */
static notaverify_envelope envelope_fixture(const char *rel) {
    size_t len = 0;
    uint8_t *data = read_fixture(rel, &len);
    return (notaverify_envelope){.data = data, .len = len, .media_type = strstr(rel, ".cose") ? COSE : JOSE};
}

static void free_envelopes(notaverify_envelope *envelopes, size_t count) {
    for (size_t i = 0; i < count; i++) free((void *)envelopes[i].data);
}

static bool verified_of(const notaverify_outcome *o) {
    bool verified = false;
    CHECK_RC(notaverify_outcome_verified(o, &verified), NOTAVERIFY_RESULT_OK);
    return verified;
}

static size_t signature_count(const notaverify_outcome *o) {
    size_t n = 0;
    CHECK_RC(notaverify_outcome_signature_count(o, &n), NOTAVERIFY_RESULT_OK);
    return n;
}

/* The failure of signature `sig` ("" when it verified); the caller frees it. */
static char *failure_of(const notaverify_outcome *o, size_t sig) {
    notaverify_result rc;
    char *failure = get_string(notaverify_outcome_signature_failure, o, sig, &rc);
    if (!failure && rc == NOTAVERIFY_RESULT_NOT_PRESENT) failure = calloc(1, 1);
    CHECK(failure != NULL);
    return failure;
}

static void check_failure(const notaverify_outcome *o, size_t sig, const char *want) {
    char *failure = failure_of(o, sig);
    if (failure && strcmp(failure, want) != 0)
        fprintf(stderr, "  signature %zu: failure \"%s\", want \"%s\"\n", sig, failure, want);
    CHECK(failure && strcmp(failure, want) == 0);
    free(failure);
}

/* Whether the check `type` of signature `sig` is listed and failed. */
static bool check_failed(const notaverify_outcome *o, size_t sig, notaverify_check_type type) {
    size_t checks = 0;
    CHECK_RC(notaverify_outcome_check_count(o, sig, &checks), NOTAVERIFY_RESULT_OK);
    for (size_t i = 0; i < checks; i++) {
        notaverify_check_type t = 0;
        bool passed = true;
        CHECK_RC(notaverify_outcome_check_type(o, sig, i, &t), NOTAVERIFY_RESULT_OK);
        CHECK_RC(notaverify_outcome_check_passed(o, sig, i, &passed), NOTAVERIFY_RESULT_OK);
        if (t == type) return !passed;
    }
    return false;
}

static void check_error_code(const notaverify_outcome *o, const char *want) {
    char code[64];
    size_t n = 0;
    CHECK_RC(notaverify_outcome_error_code(o, code, sizeof code, &n), NOTAVERIFY_RESULT_OK);
    if (strcmp(code, want) != 0) fprintf(stderr, "  error code %s, want %s\n", code, want);
    CHECK(strcmp(code, want) == 0);
}

static size_t count_of(const char *haystack, const char *needle) {
    size_t n = 0;
    for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

static void test_artifact(void) {
    notaverify_verifier *v = fixture_verifier(NULL);
    const notaverify_verify_options at = {.at_unix = AT_2030};
    notaverify_outcome *o = NULL;

    /* The first envelope fails authenticity, the second verifies: the artifact verifies. */
    notaverify_envelope two[] = {envelope_fixture("envelopes/untrusted.jws"), envelope_fixture("envelopes/p256.cose")};
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, two, 2, &at, &o), NOTAVERIFY_RESULT_OK);
    if (o) {
        CHECK(verified_of(o));
        CHECK(signature_count(o) == 2);
        check_failure(o, 0, "authenticity");
        CHECK(check_failed(o, 0, NOTAVERIFY_CHECK_TYPE_AUTHENTICITY));
        check_failure(o, 1, "");
    }
    notaverify_outcome_free(o);

    /* max_signatures 1: the search stops after the failing first envelope. */
    const notaverify_verify_options one = {.at_unix = AT_2030, .max_signatures = 1};
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, two, 2, &one, &o), NOTAVERIFY_RESULT_OK);
    if (o) {
        CHECK(!verified_of(o));
        CHECK(signature_count(o) == 1);
        check_error_code(o, "MAX_SIGNATURES_EXCEEDED");
    }
    notaverify_outcome_free(o);
    free_envelopes(two, 2);

    /* Every envelope fails; none at all. */
    notaverify_envelope bad[] = {envelope_fixture("envelopes/untrusted.jws"), envelope_fixture("envelopes/expired.cose")};
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, bad, 2, &at, &o), NOTAVERIFY_RESULT_OK);
    if (o) {
        CHECK(!verified_of(o));
        CHECK(signature_count(o) == 2);
        check_error_code(o, "VERIFICATION_FAILED");
        check_failure(o, 1, "expiry");
    }
    notaverify_outcome_free(o);
    free_envelopes(bad, 2);
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, NULL, 0, &at, &o), NOTAVERIFY_RESULT_OK);
    if (o) {
        CHECK(!verified_of(o) && signature_count(o) == 0);
        check_error_code(o, "NO_SIGNATURE");
    }
    notaverify_outcome_free(o);

    /* User metadata through the options. */
    notaverify_envelope md[] = {envelope_fixture("envelopes/metadata.jws")};
    notaverify_metadata_entry build_101[] = {{"buildId", "101"}};
    notaverify_metadata_entry build_102[] = {{"buildId", "102"}};
    notaverify_verify_options with_md = {.user_metadata = build_101, .user_metadata_len = 1, .at_unix = AT_2030};
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, md, 1, &with_md, &o), NOTAVERIFY_RESULT_OK);
    CHECK(o && verified_of(o));
    notaverify_outcome_free(o);
    with_md.user_metadata = build_102;
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, md, 1, &with_md, &o), NOTAVERIFY_RESULT_OK);
    if (o) {
        CHECK(!verified_of(o));
        check_failure(o, 0, "userMetadata");
    }
    notaverify_outcome_free(o);
    free_envelopes(md, 1);

    /* NULL options: now, and the defaults. */
    notaverify_envelope now[] = {envelope_fixture("envelopes/p256.jws")};
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, now, 1, NULL, &o), NOTAVERIFY_RESULT_OK);
    CHECK(o && verified_of(o));
    notaverify_outcome_free(o);
    free_envelopes(now, 1);
    notaverify_verifier_free(v);
}

/* all_signatures: each signature is evaluated and listed with its checks; the verdict is the
 * one without the flag. */
static void test_all_signatures(void) {
    notaverify_verifier *v = fixture_verifier(NULL);
    static const char *const pairs[][2] = {
        {"envelopes/p256.jws", "envelopes/rsa2048.cose"}, /* both verify */
        {"envelopes/p384.cose", "envelopes/untrusted.jws"}, /* the second fails */
    };
    for (size_t p = 0; p < 2; p++) {
        notaverify_envelope envelopes[] = {envelope_fixture(pairs[p][0]), envelope_fixture(pairs[p][1])};
        notaverify_verify_options options = {.at_unix = AT_2030};
        notaverify_outcome *first = NULL, *all = NULL;
        CHECK_RC(notaverify_verify_artifact(v, REFERENCE, envelopes, 2, &options, &first), NOTAVERIFY_RESULT_OK);
        options.all_signatures = true;
        CHECK_RC(notaverify_verify_artifact(v, REFERENCE, envelopes, 2, &options, &all), NOTAVERIFY_RESULT_OK);
        if (first && all) {
            CHECK(verified_of(first) && verified_of(all));
            CHECK(signature_count(first) == 1);
            CHECK(signature_count(all) == 2);
            char *first_json = outcome_json(first);
            char *all_json = outcome_json(all);
            CHECK(first_json && count_of(first_json, "\"checks\"") == 1);
            CHECK(all_json && count_of(all_json, "\"checks\"") == 2);
            CHECK(all_json && count_of(all_json, "\"type\":\"integrity\"") == 2);
            free(first_json);
            free(all_json);
            size_t checks = 0;
            CHECK_RC(notaverify_outcome_check_count(all, 1, &checks), NOTAVERIFY_RESULT_OK);
            CHECK(checks >= 2);
        }
        if (all && p == 1) {
            check_failure(all, 0, "");
            check_failure(all, 1, "authenticity");
        }
        notaverify_outcome_free(first);
        notaverify_outcome_free(all);
        free_envelopes(envelopes, 2);
    }
    notaverify_verifier_free(v);
}

static void test_artifact_arguments(void) {
    notaverify_verifier *v = fixture_verifier(NULL);
    notaverify_envelope good = envelope_fixture("envelopes/p256.jws");
    notaverify_envelope envelopes[2] = {good, good};
    notaverify_metadata_entry twice[] = {{"buildId", "101"}, {"buildId", "102"}};
    const notaverify_verify_options dup = {.user_metadata = twice, .user_metadata_len = 2};
    const notaverify_verify_options md_null = {.user_metadata = NULL, .user_metadata_len = 1};
    notaverify_outcome *o = (notaverify_outcome *)&good; /* must be reset to NULL */

    CHECK_RC(notaverify_verify_artifact(NULL, REFERENCE, envelopes, 2, NULL, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK(o == NULL);
    CHECK_RC(notaverify_verify_artifact(v, NULL, envelopes, 2, NULL, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, NULL, 2, NULL, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, envelopes, 2, NULL, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_artifact(v, BAD_UTF8, envelopes, 2, NULL, &o), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, envelopes, SIZE_MAX, NULL, &o), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, envelopes, 2, &dup, &o), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, envelopes, 2, &md_null, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_artifact(v, "registry.example/app:v1", envelopes, 2, NULL, &o),
             NOTAVERIFY_RESULT_INVALID_INPUT);
    const notaverify_verify_options too_many = {.max_signatures = SIZE_MAX};
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, envelopes, 2, &too_many, &o), NOTAVERIFY_RESULT_LIMIT_EXCEEDED);

    /* An unusable envelope fails the call and is named. */
    const struct {
        notaverify_envelope envelope;
        notaverify_result want;
    } bad[] = {
        {{NULL, good.len, JOSE}, NOTAVERIFY_RESULT_NULL_PARAMETER},
        {{good.data, good.len, NULL}, NOTAVERIFY_RESULT_NULL_PARAMETER},
        {{good.data, good.len, BAD_UTF8}, NOTAVERIFY_RESULT_INVALID_UTF8},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        envelopes[1] = bad[i].envelope;
        o = (notaverify_outcome *)&good;
        CHECK_RC(notaverify_verify_artifact(v, REFERENCE, envelopes, 2, NULL, &o), bad[i].want);
        CHECK(o == NULL);
        char msg[256];
        size_t n = 0;
        notaverify_last_error(msg, sizeof msg, &n);
        CHECK(strncmp(msg, "envelopes[1]: ", 14) == 0);
    }
    free((void *)good.data);
    notaverify_verifier_free(v);
}

static char *cli_fixture(const char *rel) {
    size_t n = strlen(cli_fixtures) + strlen(rel) + 2;
    char *p = malloc(n);
    if (!p) abort();
    snprintf(p, n, "%s/%s", cli_fixtures, rel);
    return p;
}

/* Verifies layouts/<layout> of the CLI fixtures by `reference`; NULL when the call failed. */
static notaverify_outcome *verify_layout(const notaverify_verifier *v, const char *layout, const char *reference,
                                         const notaverify_verify_options *options) {
    char rel[128];
    snprintf(rel, sizeof rel, "layouts/%s", layout);
    char *dir = cli_fixture(rel);
    notaverify_outcome *o = NULL;
    CHECK_RC(notaverify_verify_oci_layout(v, dir, reference, LAYOUT_SCOPE, options, &o), NOTAVERIFY_RESULT_OK);
    free(dir);
    return o;
}

static void test_oci_layout(void) {
    char *config = cli_fixture("config");
    notaverify_verifier *v = NULL;
    CHECK_RC(notaverify_verifier_from_config_dir(config, &v), NOTAVERIFY_RESULT_OK);
    free(config);
    if (!v) return;
    const notaverify_verify_options at = {.at_unix = AT_JULY_2025};

    /* A signed layout verifies by tag, and by the digest the outcome names, alike. */
    notaverify_outcome *by_tag = verify_layout(v, "good", "v1", &at);
    char *json = by_tag ? outcome_json(by_tag) : NULL;
    CHECK(by_tag && verified_of(by_tag) && signature_count(by_tag) == 1);
    const char *prefix = "\"reference\":\"" LAYOUT_SCOPE "@";
    const char *digest = json ? strstr(json, prefix) : NULL;
    CHECK(digest != NULL);
    if (digest) {
        char reference[128] = {0};
        digest += strlen(prefix);
        size_t n = strcspn(digest, "\"");
        CHECK(n < sizeof reference);
        memcpy(reference, digest, n < sizeof reference ? n : sizeof reference - 1);
        notaverify_outcome *by_digest = verify_layout(v, "good", reference, &at);
        char *json2 = by_digest ? outcome_json(by_digest) : NULL;
        CHECK(json2 && strcmp(json, json2) == 0);
        free(json2);
        notaverify_outcome_free(by_digest);
    }
    free(json);
    notaverify_outcome_free(by_tag);

    /* A tampered signature fails integrity, as `notaverify verify --oci-layout` reports. */
    notaverify_outcome *o = verify_layout(v, "tampered", "v1", &at);
    if (o) {
        CHECK(!verified_of(o));
        check_error_code(o, "VERIFICATION_FAILED");
        check_failure(o, 0, "integrity");
        CHECK(check_failed(o, 0, NOTAVERIFY_CHECK_TYPE_INTEGRITY));
    }
    notaverify_outcome_free(o);

    /* Three signatures: untrusted, a blob that no longer matches its digest, a valid one. */
    o = verify_layout(v, "multi", "v1", &at);
    if (o) {
        CHECK(verified_of(o) && signature_count(o) == 3);
        check_failure(o, 0, "authenticity");
        CHECK(check_failed(o, 1, NOTAVERIFY_CHECK_TYPE_INTEGRITY));
        check_failure(o, 2, "");
    }
    notaverify_outcome_free(o);
    const notaverify_verify_options one = {.at_unix = AT_JULY_2025, .max_signatures = 1};
    o = verify_layout(v, "multi", "v1", &one);
    if (o) {
        CHECK(!verified_of(o) && signature_count(o) == 1);
        check_error_code(o, "MAX_SIGNATURES_EXCEEDED");
    }
    notaverify_outcome_free(o);
    o = verify_layout(v, "unsigned", "v1", &at);
    if (o) check_error_code(o, "NO_SIGNATURE");
    notaverify_outcome_free(o);

    /* Bad arguments. */
    char *good = cli_fixture("layouts/good");
    char *missing = cli_fixture("layouts/no-such-layout");
    o = (notaverify_outcome *)&at; /* must be reset to NULL */
    CHECK_RC(notaverify_verify_oci_layout(NULL, good, "v1", LAYOUT_SCOPE, &at, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK(o == NULL);
    CHECK_RC(notaverify_verify_oci_layout(v, NULL, "v1", LAYOUT_SCOPE, &at, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_oci_layout(v, good, NULL, LAYOUT_SCOPE, &at, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_oci_layout(v, good, "v1", NULL, &at, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_oci_layout(v, good, "v1", LAYOUT_SCOPE, &at, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_oci_layout(v, BAD_UTF8, "v1", LAYOUT_SCOPE, &at, &o), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_verify_oci_layout(v, good, BAD_UTF8, LAYOUT_SCOPE, &at, &o), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_verify_oci_layout(v, good, "v1", BAD_UTF8, &at, &o), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_verify_oci_layout(v, missing, "v1", LAYOUT_SCOPE, &at, &o), NOTAVERIFY_RESULT_LOAD);
    CHECK_RC(notaverify_verify_oci_layout(v, good, "v2", LAYOUT_SCOPE, &at, &o), NOTAVERIFY_RESULT_LOAD);
    CHECK_RC(notaverify_verify_oci_layout(v, good, "not a tag", LAYOUT_SCOPE, &at, &o), NOTAVERIFY_RESULT_INVALID_INPUT);
    CHECK_RC(notaverify_verify_oci_layout(v, good, "v1", "example.com/other", &at, &o),
             NOTAVERIFY_RESULT_NO_APPLICABLE_POLICY);
    CHECK(o == NULL);
    free(good);
    free(missing);
    notaverify_verifier_free(v);
}

/* Verifies core/tests/fixtures/blob/example.txt (or `blob`, `len`) with envelopes/<envelope>. */
static notaverify_outcome *verify_blob(const notaverify_verifier *v, const uint8_t *blob, size_t len,
                                       const char *envelope, const char *policy_name, const char *blob_media_type,
                                       notaverify_result want) {
    notaverify_envelope e = envelope_fixture(envelope);
    const notaverify_verify_options at = {.at_unix = AT_2030};
    notaverify_outcome *o = NULL;
    CHECK_RC(notaverify_verify_blob(v, blob, len, "example.txt", &e, policy_name, blob_media_type, &at, &o), want);
    free((void *)e.data);
    return o;
}

static void test_blob(void) {
    size_t len = 0;
    uint8_t *blob = read_fixture("blob/example.txt", &len);
    notaverify_verifier *v = NULL;
    CHECK_RC(notaverify_verifier_from_config_dir(fixtures, &v), NOTAVERIFY_RESULT_OK);

    static const char *const valid[] = {"envelopes/blob.jws", "envelopes/blob.cose", "envelopes/blob-p384.jws",
                                        "envelopes/blob-p384.cose"};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        notaverify_outcome *o = verify_blob(v, blob, len, valid[i], NULL, NULL, NOTAVERIFY_RESULT_OK);
        CHECK(o && verified_of(o));
        char *json = o ? outcome_json(o) : NULL;
        CHECK(json && strstr(json, "\"reference\":\"example.txt\"") != NULL);
        free(json);
        notaverify_outcome_free(o);
    }
    /* The named statement, the media type the signature names. */
    notaverify_outcome *o = verify_blob(v, blob, len, "envelopes/blob.jws", "test-strict", "text/plain", NOTAVERIFY_RESULT_OK);
    CHECK(o && verified_of(o));
    notaverify_outcome_free(o);
    o = verify_blob(v, blob, len, "envelopes/blob.jws", NULL, "application/json", NOTAVERIFY_RESULT_OK);
    CHECK(o && !verified_of(o));
    notaverify_outcome_free(o);
    /* Another blob: the signature does not cover it. */
    blob[0] ^= 1;
    o = verify_blob(v, blob, len, "envelopes/blob.cose", NULL, NULL, NOTAVERIFY_RESULT_OK);
    if (o) {
        CHECK(!verified_of(o));
        check_failure(o, 0, "integrity");
    }
    notaverify_outcome_free(o);
    blob[0] ^= 1;
    o = verify_blob(v, blob, len, "envelopes/untrusted.jws", NULL, NULL, NOTAVERIFY_RESULT_OK);
    CHECK(o && !verified_of(o));
    notaverify_outcome_free(o);

    /* Bad arguments. */
    notaverify_envelope e = envelope_fixture("envelopes/blob.jws");
    notaverify_envelope no_media = {e.data, e.len, NULL};
    o = (notaverify_outcome *)&len;
    CHECK_RC(notaverify_verify_blob(NULL, blob, len, NULL, &e, NULL, NULL, NULL, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK(o == NULL);
    CHECK_RC(notaverify_verify_blob(v, NULL, len, NULL, &e, NULL, NULL, NULL, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_blob(v, blob, len, NULL, NULL, NULL, NULL, NULL, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_blob(v, blob, len, NULL, &e, NULL, NULL, NULL, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verify_blob(v, blob, len, NULL, &no_media, NULL, NULL, NULL, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    char msg[256];
    size_t n = 0;
    notaverify_last_error(msg, sizeof msg, &n);
    CHECK(strncmp(msg, "envelope: ", 10) == 0);
    CHECK_RC(notaverify_verify_blob(v, blob, len, BAD_UTF8, &e, NULL, NULL, NULL, &o), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_verify_blob(v, blob, len, NULL, &e, BAD_UTF8, NULL, NULL, &o), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_verify_blob(v, blob, len, NULL, &e, NULL, BAD_UTF8, NULL, &o), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_verify_blob(v, blob, len, NULL, &e, "no-such-statement", NULL, NULL, &o),
             NOTAVERIFY_RESULT_NO_APPLICABLE_POLICY);
    CHECK(o == NULL);
    notaverify_verifier_free(v);

    /* A blob policy from JSON: an OCI-only verifier has none until it is set. */
    v = fixture_verifier(NULL);
    CHECK_RC(notaverify_verify_blob(v, blob, len, NULL, &e, NULL, NULL, NULL, &o), NOTAVERIFY_RESULT_INVALID_INPUT);
    size_t json_len = 0;
    uint8_t *json = read_fixture("trustpolicy.blob.json", &json_len);
    notaverify_blob_policy *policy = NULL;
    CHECK_RC(notaverify_blob_policy_from_json(json, json_len, &policy), NOTAVERIFY_RESULT_OK);
    CHECK_RC(notaverify_verifier_set_blob_policy(v, policy), NOTAVERIFY_RESULT_OK);
    o = verify_blob(v, blob, len, "envelopes/blob.jws", NULL, NULL, NOTAVERIFY_RESULT_OK);
    CHECK(o && verified_of(o));
    notaverify_outcome_free(o);
    notaverify_verifier_free(v);

    /* A verifier of blobs only: no OCI policy. */
    notaverify_trust_store *store = fixture_store();
    CHECK_RC(notaverify_verifier_new(NULL, store, &v), NOTAVERIFY_RESULT_OK);
    notaverify_trust_store_free(store);
    CHECK_RC(notaverify_verifier_set_blob_policy(v, policy), NOTAVERIFY_RESULT_OK);
    notaverify_blob_policy_free(policy); /* the verifier keeps its own copy */
    o = verify_blob(v, blob, len, "envelopes/blob.cose", NULL, NULL, NOTAVERIFY_RESULT_OK);
    CHECK(o && verified_of(o));
    notaverify_outcome_free(o);
    notaverify_envelope oci[] = {envelope_fixture("envelopes/p256.jws")};
    CHECK_RC(notaverify_verify_artifact(v, REFERENCE, oci, 1, NULL, &o), NOTAVERIFY_RESULT_INVALID_INPUT);
    free_envelopes(oci, 1);

    /* Bad blob policies and setter arguments. */
    static const char *const bad_policies[] = {"", "{", "{\"version\":\"1.0\",\"trustPolicies\":[]}"};
    for (size_t i = 0; i < sizeof bad_policies / sizeof bad_policies[0]; i++) {
        policy = (notaverify_blob_policy *)&len;
        notaverify_result rc =
            notaverify_blob_policy_from_json((const uint8_t *)bad_policies[i], strlen(bad_policies[i]), &policy);
        CHECK(rc != NOTAVERIFY_RESULT_OK && rc != NOTAVERIFY_RESULT_PANIC);
        CHECK(policy == NULL);
    }
    CHECK_RC(notaverify_blob_policy_from_json(NULL, 3, &policy), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_blob_policy_from_json(json, json_len, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verifier_set_blob_policy(v, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_verifier_set_blob_policy(NULL, policy), NOTAVERIFY_RESULT_NULL_PARAMETER);
    notaverify_verifier_free(v);
    CHECK_RC(notaverify_verifier_new(NULL, NULL, &v), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK(v == NULL);
    notaverify_blob_policy_free(NULL);
    free(json);
    free((void *)e.data);
    free(blob);
}

int main(int argc, char **argv) {
    init(argc, argv);
    if (argc < 3) {
        fprintf(stderr, "usage: %s <core/tests/fixtures> <cli/tests/fixtures>\n", argv[0]);
        return 2;
    }
    cli_fixtures = argv[2];
    test_artifact();
    test_all_signatures();
    test_artifact_arguments();
    test_oci_layout();
    test_blob();
    return finish("test_artifacts");
}
