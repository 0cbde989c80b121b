/* Inspection through the C ABI: every signature of an artifact and the signer it claims, with no
 * trust policy, from an OCI layout or from envelopes; and the bad arguments.
 * argv[1]: core/tests/fixtures; argv[2]: cli/tests/fixtures (the scan layouts made by
 * cli/tests/fixtures/make_scan_layouts.py). */
#include "common.h"

static const char BAD_UTF8[] = {(char)0xff, (char)0xfe, 'x', 0};
static const char *cli_fixtures = NULL;

typedef notaverify_result (*inspection_getter)(const notaverify_inspection *, size_t, char *, size_t, size_t *);

/* Copies a string of signature `sig` out of the inspection (size query, then copy); the caller
 * frees it. NULL when the accessor fails; its result goes to *rc_out. */
static char *inspection_string(inspection_getter get, const notaverify_inspection *in, size_t sig,
                               notaverify_result *rc_out) {
    size_t n = 0;
    *rc_out = get(in, sig, NULL, 0, &n);
    if (*rc_out != NOTAVERIFY_RESULT_BUFFER_TOO_SMALL) return NULL;
    char *s = malloc(n + 1);
    if (!s) abort();
    *rc_out = get(in, sig, s, n + 1, &n);
    if (*rc_out != NOTAVERIFY_RESULT_OK || strlen(s) != n) {
        free(s);
        return NULL;
    }
    return s;
}

static char *inspection_json(const notaverify_inspection *in) {
    size_t n = 0;
    if (notaverify_inspection_json(in, NULL, 0, &n) != NOTAVERIFY_RESULT_BUFFER_TOO_SMALL) return NULL;
    char *s = malloc(n + 1);
    if (!s) abort();
    if (notaverify_inspection_json(in, s, n + 1, &n) != NOTAVERIFY_RESULT_OK) {
        free(s);
        return NULL;
    }
    return s;
}

static size_t signature_count(const notaverify_inspection *in) {
    size_t n = SIZE_MAX;
    CHECK_RC(notaverify_inspection_signature_count(in, &n), NOTAVERIFY_RESULT_OK);
    return n;
}

static char *scan_layout(const char *name) {
    size_t n = strlen(cli_fixtures) + strlen(name) + 32;
    char *p = malloc(n);
    if (!p) abort();
    snprintf(p, n, "%s/scan/layouts/%s", cli_fixtures, name);
    return p;
}

/* Inspects scan/layouts/<layout> by `reference`; NULL when the call failed. */
static notaverify_inspection *inspect_layout(const char *layout, const char *reference) {
    char *dir = scan_layout(layout);
    notaverify_inspection *in = NULL;
    CHECK_RC(notaverify_inspect_oci_layout(dir, reference, &in), NOTAVERIFY_RESULT_OK);
    free(dir);
    return in;
}

/* The digest in the inspection's `"reference":"<dir>@<digest>"` (empty when absent). */
static void reference_digest(const char *json, char *digest, size_t len) {
    digest[0] = 0;
    const char *reference = json ? strstr(json, "\"reference\":\"") : NULL;
    const char *at = reference ? strchr(reference, '@') : NULL;
    if (!at) return;
    size_t n = strcspn(at + 1, "\"");
    if (n < len) {
        memcpy(digest, at + 1, n);
        digest[n] = 0;
    }
}

/* Two signatures by two keys: each names its own signer and reads whole. By digest alike. */
static void test_dual_signed(void) {
    notaverify_inspection *in = inspect_layout("app", "dual");
    if (!in) return;
    CHECK(signature_count(in) == 2);
    char *subjects[2] = {NULL, NULL}, *fingerprints[2] = {NULL, NULL};
    for (size_t sig = 0; sig < 2; sig++) {
        notaverify_result rc;
        subjects[sig] = inspection_string(notaverify_inspection_signer_subject, in, sig, &rc);
        CHECK(subjects[sig] && strstr(subjects[sig], "CN=") != NULL);
        fingerprints[sig] = inspection_string(notaverify_inspection_signer_fingerprint, in, sig, &rc);
        CHECK(fingerprints[sig] && strlen(fingerprints[sig]) == 64);
        char *error = inspection_string(notaverify_inspection_signature_error, in, sig, &rc);
        CHECK(error == NULL && rc == NOTAVERIFY_RESULT_NOT_PRESENT);
        free(error);
    }
    CHECK(fingerprints[0] && fingerprints[1] && strcmp(fingerprints[0], fingerprints[1]) != 0);
    CHECK(subjects[0] && subjects[1] && strcmp(subjects[0], subjects[1]) != 0);

    char *json = inspection_json(in);
    CHECK(json && strstr(json, "/scan/layouts/app@sha256:") != NULL);
    CHECK(json && fingerprints[1] && strstr(json, fingerprints[1]) != NULL);
    char digest[160];
    reference_digest(json, digest, sizeof digest);
    CHECK(strncmp(digest, "sha256:", 7) == 0);
    notaverify_inspection *by_digest = inspect_layout("app", digest);
    char *json2 = by_digest ? inspection_json(by_digest) : NULL;
    CHECK(json && json2 && strcmp(json, json2) == 0);

    /* An index past the end, a NULL handle, too small a buffer. */
    notaverify_result rc;
    CHECK(inspection_string(notaverify_inspection_signer_subject, in, 2, &rc) == NULL &&
          rc == NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK(inspection_string(notaverify_inspection_signature_error, in, SIZE_MAX, &rc) == NULL &&
          rc == NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    size_t n = 0;
    CHECK_RC(notaverify_inspection_signature_count(NULL, &n), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_inspection_signature_count(in, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_inspection_json(NULL, NULL, 0, &n), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_inspection_signer_fingerprint(NULL, 0, NULL, 0, &n), NOTAVERIFY_RESULT_NULL_PARAMETER);
    char small[8];
    CHECK_RC(notaverify_inspection_json(in, small, sizeof small, &n), NOTAVERIFY_RESULT_BUFFER_TOO_SMALL);
    CHECK(json && n == strlen(json) && strlen(small) == sizeof small - 1);

    for (size_t sig = 0; sig < 2; sig++) {
        free(subjects[sig]);
        free(fingerprints[sig]);
    }
    free(json);
    free(json2);
    notaverify_inspection_free(by_digest);
    notaverify_inspection_free(in);
}

/* An artifact without signatures lists none. */
static void test_unsigned(void) {
    notaverify_inspection *in = inspect_layout("legacy", "legacy-a");
    if (!in) return;
    CHECK(signature_count(in) == 0);
    char *json = inspection_json(in);
    CHECK(json && strstr(json, "\"signatures\":[]") != NULL);
    notaverify_result rc;
    CHECK(inspection_string(notaverify_inspection_signer_subject, in, 0, &rc) == NULL &&
          rc == NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    free(json);
    notaverify_inspection_free(in);
}

/* Envelopes: a readable one names its signer; garbage is listed with why it cannot be read. */
static void test_envelopes(void) {
    size_t len = 0;
    uint8_t *good = read_fixture("envelopes/p256.cose", &len);
    static const uint8_t garbage[] = "{\"protected\":";
    notaverify_envelope envelopes[] = {{good, len, COSE}, {garbage, sizeof garbage - 1, JOSE}};
    notaverify_inspection *in = NULL;
    CHECK_RC(notaverify_inspect_envelopes(REFERENCE, envelopes, 2, &in), NOTAVERIFY_RESULT_OK);
    if (in) {
        CHECK(signature_count(in) == 2);
        notaverify_result rc;
        char *subject = inspection_string(notaverify_inspection_signer_subject, in, 0, &rc);
        CHECK(subject && strstr(subject, "p256") != NULL);
        char *error = inspection_string(notaverify_inspection_signature_error, in, 0, &rc);
        CHECK(error == NULL && rc == NOTAVERIFY_RESULT_NOT_PRESENT);
        free(subject);
        error = inspection_string(notaverify_inspection_signature_error, in, 1, &rc);
        CHECK(error && rc == NOTAVERIFY_RESULT_OK && error[0] != 0);
        free(error);
        CHECK(inspection_string(notaverify_inspection_signer_subject, in, 1, &rc) == NULL &&
              rc == NOTAVERIFY_RESULT_NOT_PRESENT);
        CHECK(inspection_string(notaverify_inspection_signer_fingerprint, in, 1, &rc) == NULL &&
              rc == NOTAVERIFY_RESULT_NOT_PRESENT);
        char *json = inspection_json(in);
        CHECK(json && strstr(json, "\"reference\":\"" REFERENCE "\"") != NULL);
        CHECK(json && strstr(json, "\"signer\":null") != NULL);
        free(json);
    }
    notaverify_inspection_free(in);

    /* No reference, no envelopes. */
    in = NULL;
    CHECK_RC(notaverify_inspect_envelopes(NULL, NULL, 0, &in), NOTAVERIFY_RESULT_OK);
    if (in) {
        CHECK(signature_count(in) == 0);
        char *json = inspection_json(in);
        CHECK(json && strcmp(json, "{\"reference\":null,\"signatures\":[]}") == 0);
        free(json);
    }
    notaverify_inspection_free(in);

    /* Unusable arguments fail the call, name the envelope, and leave *out NULL. */
    const struct {
        notaverify_envelope envelope;
        notaverify_result want;
    } bad[] = {
        {{NULL, len, COSE}, NOTAVERIFY_RESULT_NULL_PARAMETER},
        {{good, len, NULL}, NOTAVERIFY_RESULT_NULL_PARAMETER},
        {{good, len, BAD_UTF8}, NOTAVERIFY_RESULT_INVALID_UTF8},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        envelopes[1] = bad[i].envelope;
        in = (notaverify_inspection *)&len;
        CHECK_RC(notaverify_inspect_envelopes(NULL, envelopes, 2, &in), bad[i].want);
        CHECK(in == NULL);
        char msg[256];
        size_t n = 0;
        notaverify_last_error(msg, sizeof msg, &n);
        CHECK(strncmp(msg, "envelopes[1]: ", 14) == 0);
    }
    CHECK_RC(notaverify_inspect_envelopes(BAD_UTF8, envelopes, 1, &in), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_inspect_envelopes(NULL, NULL, 1, &in), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_inspect_envelopes(NULL, envelopes, SIZE_MAX, &in), NOTAVERIFY_RESULT_INVALID_ARGUMENT);
    CHECK_RC(notaverify_inspect_envelopes(NULL, envelopes, 1, NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK(in == NULL);
    free(good);
}

static void test_layout_arguments(void) {
    char *app = scan_layout("app");
    char *missing = scan_layout("no-such-layout");
    notaverify_inspection *in = (notaverify_inspection *)&app; /* must be reset to NULL */
    CHECK_RC(notaverify_inspect_oci_layout(NULL, "dual", &in), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK(in == NULL);
    CHECK_RC(notaverify_inspect_oci_layout(app, NULL, &in), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_inspect_oci_layout(app, "dual", NULL), NOTAVERIFY_RESULT_NULL_PARAMETER);
    CHECK_RC(notaverify_inspect_oci_layout(BAD_UTF8, "dual", &in), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_inspect_oci_layout(app, BAD_UTF8, &in), NOTAVERIFY_RESULT_INVALID_UTF8);
    CHECK_RC(notaverify_inspect_oci_layout(missing, "dual", &in), NOTAVERIFY_RESULT_LOAD);
    CHECK_RC(notaverify_inspect_oci_layout(app, "no-such-tag", &in), NOTAVERIFY_RESULT_LOAD);
    CHECK_RC(notaverify_inspect_oci_layout(app, "not a tag", &in), NOTAVERIFY_RESULT_INVALID_INPUT);
    CHECK_RC(notaverify_inspect_oci_layout(app, "sha256:XYZ", &in), NOTAVERIFY_RESULT_INVALID_INPUT);
    CHECK(in == NULL);
    notaverify_inspection_free(NULL);
    free(app);
    free(missing);
}

int main(int argc, char **argv) {
    init(argc, argv);
    if (argc < 3) {
        fprintf(stderr, "usage: %s <core/tests/fixtures> <cli/tests/fixtures>\n", argv[0]);
        return 2;
    }
    cli_fixtures = argv[2];
    test_dual_signed();
    test_unsigned();
    test_envelopes();
    test_layout_arguments();
    return finish("test_inspect");
}
