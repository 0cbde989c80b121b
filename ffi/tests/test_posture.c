/* The rollout posture through the C ABI: exceptions and retired trust material from JSON, the
 * classify calls and the classification's accessors, over the scan fixtures of the CLI
 * (cli/tests/fixtures/scan, made by make_scan_layouts.py: a key rotation from ca:acme-2024 to
 * ca:acme-2025, signed on 2025-06-01). The expected classes are what
 *   notaverify verify --oci-layout --scope registry.example/app --config-dir config
 *     --trust-policy policies/<policy>.json [--exceptions exceptions.json] [--retired retired.json]
 *     --at 2025-07-01T00:00:00Z -o json layouts/app:<tag>
 * reports as `class` (compare_cli_json.py compares the whole documents).
 * argv[1]: core/tests/fixtures; argv[2]: cli/tests/fixtures. */
#include "common.h"

/* 2025-07-01T00:00:00Z: JULY of the CLI's scan tests. */
#define AT_JULY_2025 INT64_C(1751328000)
#define APP_SCOPE "registry.example/app"
#define DUAL_REFERENCE APP_SCOPE "@sha256:28621bb0d679b22dc56b53daca43a85d4baf631e282b79e6fd50fe7afecff776"

static const char *core_fixtures = NULL;
static const char BAD_UTF8[] = {(char)0xff, (char)0xfe, 'x', 0};
static const notaverify_verify_options JULY = {.at_unix = AT_JULY_2025};

/* A verifier over the trust policy policies/<policy>.json and both CA stores of config/. */
static notaverify_verifier *scan_verifier(const char *policy_name) {
    char rel[128];
    snprintf(rel, sizeof rel, "policies/%s.json", policy_name);
    size_t len = 0;
    uint8_t *json = read_fixture(rel, &len);
    notaverify_policy *policy = NULL;
    CHECK_RC(notaverify_policy_from_json(json, len, &policy), NOTAVERIFY_RESULT_OK);
    free(json);
    notaverify_trust_store *store = NULL;
    CHECK_RC(notaverify_trust_store_new(&store), NOTAVERIFY_RESULT_OK);
    const char *const stores[] = {"acme-2024", "acme-2025"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(rel, sizeof rel, "config/truststore/x509/ca/%s/root.pem", stores[i]);
        uint8_t *pem = read_fixture(rel, &len);
        CHECK_RC(notaverify_trust_store_add(store, "ca", stores[i], pem, len), NOTAVERIFY_RESULT_OK);
        free(pem);
    }
    notaverify_verifier *verifier = NULL;
    CHECK_RC(notaverify_verifier_new(policy, store, &verifier), NOTAVERIFY_RESULT_OK);
    notaverify_policy_free(policy);
    notaverify_trust_store_free(store);
    return verifier;
}

static notaverify_exceptions *scan_exceptions(void) {
    size_t len = 0;
    uint8_t *json = read_fixture("exceptions.json", &len);
    notaverify_exceptions *exceptions = NULL;
    CHECK_RC(notaverify_exceptions_from_json(json, len, &exceptions), NOTAVERIFY_RESULT_OK);
    free(json);
    return exceptions;
}

/* retired.json retires the store ca:acme-2024, read from config/. */
static notaverify_retired *scan_retired(void) {
    size_t len = 0;
    uint8_t *json = read_fixture("retired.json", &len);
    char *config = fixture_path("config");
    notaverify_retired *retired = NULL;
    CHECK_RC(notaverify_retired_from_json(json, len, config, &retired), NOTAVERIFY_RESULT_OK);
    free(config);
    free(json);
    return retired;
}

typedef notaverify_result (*classification_string)(const notaverify_classification *, char *, size_t, size_t *);

/* A string accessor's value (size query, then copy); NULL with *rc_out when it fails. */
static char *string_of(classification_string get, const notaverify_classification *c, notaverify_result *rc_out) {
    size_t n = 0;
    notaverify_result rc = get(c, NULL, 0, &n);
    if (rc_out) *rc_out = rc;
    if (rc != NOTAVERIFY_RESULT_BUFFER_TOO_SMALL) return NULL;
    char *s = malloc(n + 1);
    if (!s) abort();
    rc = get(c, s, n + 1, &n);
    if (rc_out) *rc_out = rc;
    if (rc != NOTAVERIFY_RESULT_OK) {
        free(s);
        return NULL;
    }
    return s;
}

static void check_string(classification_string get, const char *what, const notaverify_classification *c,
                         const char *want) {
    char *got = string_of(get, c, NULL);
    if (!got || strcmp(got, want) != 0) fprintf(stderr, "  %s \"%s\", want \"%s\"\n", what, got ? got : "?", want);
    CHECK(got && strcmp(got, want) == 0);
    free(got);
}

static void check_absent(classification_string get, const notaverify_classification *c) {
    notaverify_result rc = NOTAVERIFY_RESULT_OK;
    char *got = string_of(get, c, &rc);
    CHECK(got == NULL && rc == NOTAVERIFY_RESULT_NOT_PRESENT);
    free(got);
}

static notaverify_classification *classify_layout(const notaverify_verifier *v, const char *layout, const char *tag,
                                                  const char *scope, const notaverify_exceptions *exceptions,
                                                  const notaverify_retired *retired) {
    char rel[64];
    snprintf(rel, sizeof rel, "layouts/%s", layout);
    char *dir = fixture_path(rel);
    notaverify_classification *c = NULL;
    CHECK_RC(notaverify_classify_oci_layout(v, dir, tag, scope, &JULY, exceptions, retired, &c), NOTAVERIFY_RESULT_OK);
    free(dir);
    return c;
}

static bool in_policy_of(const notaverify_classification *c) {
    bool in_policy = false;
    CHECK_RC(notaverify_classification_in_policy(c, &in_policy), NOTAVERIFY_RESULT_OK);
    return in_policy;
}

/* The class of every app tag, by policy and by the files given. */
struct expected_class {
    const char *tag;
    const char *plain;   /* neither file, or exceptions.json only */
    const char *retired; /* retired.json, with or without exceptions.json */
};

static const struct expected_class ROTATION[] = {
    {"new", "verified", "verified"},
    {"old", "verified", "retiredSigner"}, /* ca:acme-2024 is still trusted, but retired */
    {"dual", "verified", "verified"},
    {"unknown", "unknownSigner", "unknownSigner"},
    {"tampered", "invalidSignature", "invalidSignature"},
    {"expired", "expired", "expired"},
    {"revocation", "failed", "retiredSigner"}, /* signed under the old CA */
};

static const struct expected_class ROTATED[] = {
    {"new", "verified", "verified"},
    {"old", "unknownSigner", "retiredSigner"},
    {"dual", "verified", "verified"},
    {"unknown", "unknownSigner", "unknownSigner"},
    {"tampered", "invalidSignature", "invalidSignature"},
    {"expired", "expired", "expired"},
    {"revocation", "unknownSigner", "retiredSigner"},
};

static void test_classes(const char *policy, const struct expected_class *expected, size_t count,
                         const notaverify_exceptions *exceptions, const notaverify_retired *retired) {
    notaverify_verifier *v = scan_verifier(policy);
    for (size_t i = 0; i < count; i++) {
        for (int files = 0; files < 4; files++) {
            const notaverify_exceptions *e = (files & 1) ? exceptions : NULL;
            const notaverify_retired *r = (files & 2) ? retired : NULL;
            const char *want = r ? expected[i].retired : expected[i].plain;
            notaverify_classification *c = classify_layout(v, "app", expected[i].tag, APP_SCOPE, e, r);
            char *got = string_of(notaverify_classification_class, c, NULL);
            if (!got || strcmp(got, want) != 0)
                fprintf(stderr, "  %s app:%s exceptions=%d retired=%d: class %s, want %s\n", policy, expected[i].tag,
                        e != NULL, r != NULL, got ? got : "?", want);
            CHECK(got && strcmp(got, want) == 0);
            CHECK(in_policy_of(c) == (strcmp(want, "verified") == 0));
            /* No exception names these artifacts out of policy. */
            int64_t days = 0;
            CHECK_RC(notaverify_classification_exception_days_left(c, &days), NOTAVERIFY_RESULT_NOT_PRESENT);
            check_absent(notaverify_classification_underlying, c);
            free(got);
            notaverify_classification_free(c);
        }
    }
    notaverify_verifier_free(v);
}

/* The old key's image with ca:acme-2024 retired: what decided, and the JSON's retirement. */
static void test_retired_signer(const notaverify_exceptions *exceptions, const notaverify_retired *retired) {
    notaverify_verifier *v = scan_verifier("rotated");
    notaverify_classification *c = classify_layout(v, "app", "old", APP_SCOPE, exceptions, retired);
    check_string(notaverify_classification_class, "class", c, "retiredSigner");
    check_string(notaverify_classification_check, "check", c, "authenticity");
    char *reason = string_of(notaverify_classification_reason, c, NULL);
    CHECK(reason && strstr(reason, "(ca:acme-2024), retired on 2025-06-15") != NULL);
    free(reason);
    char *json = string_of(notaverify_classification_json, c, NULL);
    CHECK(json && strstr(json, "\"declaredBy\":\"ca:acme-2024\"") != NULL);
    CHECK(json && strstr(json, "\"class\":\"retiredSigner\"") != NULL);
    free(json);
    /* The outcome is the verifier's: not verified (acme-2024 is not in the rotated policy). */
    notaverify_outcome *o = NULL;
    CHECK_RC(notaverify_classification_outcome(c, &o), NOTAVERIFY_RESULT_OK);
    bool verified = true;
    CHECK_RC(notaverify_outcome_verified(o, &verified), NOTAVERIFY_RESULT_OK);
    CHECK(!verified);
    /* Freed in either order: the outcome is a copy. */
    notaverify_classification_free(c);
    CHECK_RC(notaverify_outcome_verified(o, &verified), NOTAVERIFY_RESULT_OK);
    notaverify_outcome_free(o);
    notaverify_verifier_free(v);
}

/* Re-signed with the new key: verified whichever signature comes first, the retired one listed. */
static void test_dual_signed_in_either_order(const notaverify_retired *retired) {
    notaverify_verifier *v = scan_verifier("rotated");
    size_t p256_len = 0, p384_len = 0;
    uint8_t *p256 = read_fixture("signatures/dual-p256.jws", &p256_len);
    uint8_t *p384 = read_fixture("signatures/dual-p384.jws", &p384_len);
    const notaverify_envelope old_first[] = {{p256, p256_len, JOSE}, {p384, p384_len, JOSE}};
    const notaverify_envelope new_first[] = {{p384, p384_len, JOSE}, {p256, p256_len, JOSE}};
    const notaverify_envelope *orders[] = {old_first, new_first};
    for (size_t i = 0; i < 2; i++) {
        notaverify_classification *c = NULL;
        CHECK_RC(notaverify_classify_artifact(v, DUAL_REFERENCE, orders[i], 2, &JULY, NULL, retired, &c),
                 NOTAVERIFY_RESULT_OK);
        check_string(notaverify_classification_class, "class", c, "verified");
        CHECK(in_policy_of(c));
        check_absent(notaverify_classification_check, c);
        check_absent(notaverify_classification_reason, c);
        char *json = string_of(notaverify_classification_json, c, NULL);
        CHECK(json && strstr(json, "\"class\":\"retiredSigner\"") != NULL); /* the old signature */
        free(json);
        /* Retired material is declared: both signatures were evaluated. */
        notaverify_outcome *o = NULL;
        CHECK_RC(notaverify_classification_outcome(c, &o), NOTAVERIFY_RESULT_OK);
        size_t n = 0;
        CHECK_RC(notaverify_outcome_signature_count(o, &n), NOTAVERIFY_RESULT_OK);
        CHECK(n == 2);
        notaverify_outcome_free(o);
        notaverify_classification_free(c);
    }
    free(p256);
    free(p384);
    notaverify_verifier_free(v);
}

/* An unsigned legacy image: excepted until 2025-09-30 (91 days on 2025-07-01); its sibling,
 * which no exception names, is unsigned. */
static void test_excepted(const notaverify_exceptions *exceptions) {
    notaverify_verifier *v = scan_verifier("rotation");
    notaverify_classification *c =
        classify_layout(v, "legacy", "legacy-a", "registry.example/legacy", exceptions, NULL);
    check_string(notaverify_classification_class, "class", c, "excepted");
    check_string(notaverify_classification_underlying, "underlying", c, "unsigned");
    check_string(notaverify_classification_check, "check", c, "NO_SIGNATURE");
    CHECK(in_policy_of(c));
    int64_t days = 0;
    CHECK_RC(notaverify_classification_exception_days_left(c, &days), NOTAVERIFY_RESULT_OK);
    CHECK(days == 91);
    CHECK_RC(notaverify_classification_exception_days_left(c, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    notaverify_outcome *o = NULL;
    CHECK_RC(notaverify_classification_outcome(c, &o), NOTAVERIFY_RESULT_OK);
    bool verified = true;
    CHECK_RC(notaverify_outcome_verified(o, &verified), NOTAVERIFY_RESULT_OK);
    CHECK(!verified); /* the exception is posture, never a verdict */
    notaverify_outcome_free(o);
    notaverify_classification_free(c);

    c = classify_layout(v, "legacy", "legacy-b", "registry.example/legacy", exceptions, NULL);
    check_string(notaverify_classification_class, "class", c, "unsigned");
    CHECK(!in_policy_of(c));
    CHECK_RC(notaverify_classification_exception_days_left(c, &days), NOTAVERIFY_RESULT_NOT_PRESENT);
    notaverify_classification_free(c);
    notaverify_verifier_free(v);
}

static void test_bad_arguments(const notaverify_exceptions *exceptions, const notaverify_retired *retired) {
    notaverify_exceptions *e = (notaverify_exceptions *)1;
    const char *bad_json = "{\"version\":\"1\",\"exceptions\":[{\"scope\":\"registry.example/app\"}]}";
    CHECK_RC(notaverify_exceptions_from_json((const uint8_t *)bad_json, strlen(bad_json), &e),
             NOTAVERIFY_RESULT_INVALID_INPUT);
    CHECK(e == NULL);
    CHECK_RC(notaverify_exceptions_from_json((const uint8_t *)"{", 1, &e), NOTAVERIFY_RESULT_INVALID_INPUT);
    CHECK_RC(notaverify_exceptions_from_json(NULL, 3, &e), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_exceptions_from_json((const uint8_t *)"{}", 2, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);

    size_t len = 0;
    uint8_t *json = read_fixture("retired.json", &len);
    notaverify_retired *r = (notaverify_retired *)1;
    /* A store declaration needs the configuration directory; the message names the store. */
    CHECK_RC(notaverify_retired_from_json(json, len, NULL, &r), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK(r == NULL);
    char msg[512];
    size_t n = 0;
    notaverify_last_error(msg, sizeof msg, &n);
    CHECK(strstr(msg, "ca:acme-2024") != NULL);
    CHECK_RC(notaverify_retired_from_json(json, len, BAD_UTF8, &r), NOTAVERIFY_RESULT_INVALID_UTF8);
    /* core/tests/fixtures has no ca:acme-2024 store: a retirement that recognises nothing is an error. */
    CHECK_RC(notaverify_retired_from_json(json, len, core_fixtures, &r), NOTAVERIFY_RESULT_INVALID_INPUT);
    CHECK(r == NULL);
    notaverify_last_error(msg, sizeof msg, &n);
    CHECK(strstr(msg, "ca:acme-2024 has no certificates") != NULL);
    free(json);
    CHECK_RC(notaverify_retired_from_json((const uint8_t *)"[]", 2, NULL, &r), NOTAVERIFY_RESULT_INVALID_INPUT);
    CHECK_RC(notaverify_retired_from_json(NULL, 1, NULL, &r), NOTAVERIFY_RESULT_NULL_PARAMETER);

    notaverify_verifier *v = scan_verifier("rotated");
    char *dir = fixture_path("layouts/app");
    notaverify_classification *c = (notaverify_classification *)1;
    CHECK_RC(notaverify_classify_oci_layout(NULL, dir, "new", APP_SCOPE, &JULY, exceptions, retired, &c),
             NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK(c == NULL);
    CHECK_RC(notaverify_classify_oci_layout(v, BAD_UTF8, "new", APP_SCOPE, &JULY, exceptions, retired, &c),
             NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_classify_oci_layout(v, dir, "new", BAD_UTF8, &JULY, exceptions, retired, &c),
             NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_classify_oci_layout(v, dir, "new", APP_SCOPE, &JULY, exceptions, retired, NULL),
             NOTAVERIFY_RESULT_NULL_PARAMETER);
    /* Requests that cannot be evaluated fail as the verify calls do; nothing is classified. */
    CHECK_RC(notaverify_classify_oci_layout(v, dir, "no-such-tag", APP_SCOPE, &JULY, exceptions, retired, &c),
             NOTAVERIFY_RESULT_LOAD);
    CHECK(c == NULL);
    CHECK_RC(notaverify_classify_oci_layout(v, dir, "bad tag", APP_SCOPE, &JULY, exceptions, retired, &c),
             NOTAVERIFY_RESULT_INVALID_INPUT);
    CHECK_RC(notaverify_classify_oci_layout(v, dir, "new", "registry.example/other", &JULY, exceptions, retired, &c),
             NOTAVERIFY_RESULT_NO_APPLICABLE_POLICY);
    CHECK_RC(notaverify_classify_artifact(v, DUAL_REFERENCE, NULL, 1, &JULY, NULL, NULL, &c),
             NOTAVERIFY_RESULT_NULL_PARAMETER);
    const notaverify_envelope no_media_type = {(const uint8_t *)"x", 1, NULL};
    CHECK_RC(notaverify_classify_artifact(v, DUAL_REFERENCE, &no_media_type, 1, &JULY, NULL, NULL, &c),
             NOTAVERIFY_RESULT_NULL_PARAMETER);
    notaverify_last_error(msg, sizeof msg, &n);
    CHECK(strstr(msg, "envelopes[0]") != NULL);
    CHECK_RC(notaverify_classify_artifact(v, APP_SCOPE ":new", NULL, 0, &JULY, NULL, NULL, &c),
             NOTAVERIFY_RESULT_INVALID_INPUT);
    CHECK(c == NULL);
    /* No envelope: unsigned (a request that could be evaluated). */
    CHECK_RC(notaverify_classify_artifact(v, DUAL_REFERENCE, NULL, 0, NULL, NULL, NULL, &c), NOTAVERIFY_RESULT_OK);
    check_string(notaverify_classification_class, "class", c, "unsigned");

    /* Accessors. */
    char small[4];
    CHECK_RC(notaverify_classification_class(c, small, sizeof small, &n), NOTAVERIFY_RESULT_BUFFER_TOO_SMALL);
    CHECK(n == strlen("unsigned") && strcmp(small, "uns") == 0);
    bool flag = true;
    CHECK_RC(notaverify_classification_in_policy(NULL, &flag), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_classification_class(NULL, small, sizeof small, &n), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_classification_json(c, NULL, 0, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_classification_outcome(c, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    notaverify_outcome *o = (notaverify_outcome *)1;
    CHECK_RC(notaverify_classification_outcome(NULL, &o), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK(o == NULL);
    notaverify_classification_free(c);
    free(dir);
    notaverify_verifier_free(v);

    notaverify_exceptions_free(NULL);
    notaverify_retired_free(NULL);
    notaverify_classification_free(NULL);
}

int main(int argc, char **argv) {
    init(argc, argv);
    core_fixtures = fixtures;
    if (argc < 3) {
        fprintf(stderr, "usage: %s <core/tests/fixtures> <cli/tests/fixtures>\n", argv[0]);
        return 2;
    }
    /* Every fixture below is under cli/tests/fixtures/scan. */
    size_t m = strlen(argv[2]) + sizeof "/scan";
    char *scan = malloc(m);
    if (!scan) abort();
    snprintf(scan, m, "%s/scan", argv[2]);
    fixtures = scan;

    notaverify_exceptions *exceptions = scan_exceptions();
    notaverify_retired *retired = scan_retired();
    test_classes("rotation", ROTATION, sizeof ROTATION / sizeof ROTATION[0], exceptions, retired);
    test_classes("rotated", ROTATED, sizeof ROTATED / sizeof ROTATED[0], exceptions, retired);
    test_retired_signer(exceptions, retired);
    test_dual_signed_in_either_order(retired);
    test_excepted(exceptions);
    test_bad_arguments(exceptions, retired);
    notaverify_exceptions_free(exceptions);
    notaverify_retired_free(retired);
    free(scan);
    return finish("test_posture");
}
