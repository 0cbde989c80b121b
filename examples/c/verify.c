/*
 * verify: check one notation signature envelope with libnotaverify.
 *
 *   cc verify.c $(pkg-config --cflags --libs notaverify) -o verify
 *   ./verify <config-dir> <registry/repository@sha256:...> <envelope-file> [<unix-time>]
 *
 * <config-dir> is a notation configuration directory (trustpolicy.json + truststore/); the
 * envelope's media type follows its file name (".cose": application/cose, else
 * application/jose+json). Prints the verdict, each check and the signer. Exit status: 0 verified,
 * 1 not verified, 2 the request could not be evaluated.
 */
#include <notaverify.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, notaverify_result rc) {
    char msg[1024];
    size_t n = 0;
    notaverify_last_error(msg, sizeof msg, &n); /* a truncated message is fine here */
    fprintf(stderr, "%s: %s: %s\n", what, notaverify_result_name(rc), msg);
    return 2;
}

static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

/* Prints an optional string accessor of signature 0, sized exactly. */
static void print_field(const char *label, const notaverify_outcome *o,
                        notaverify_result (*get)(const notaverify_outcome *, size_t, char *, size_t, size_t *)) {
    size_t n = 0;
    if (get(o, 0, NULL, 0, &n) != NOTAVERIFY_RESULT_BUFFER_TOO_SMALL) return; /* absent */
    char *s = malloc(n + 1);
    if (s && get(o, 0, s, n + 1, &n) == NOTAVERIFY_RESULT_OK) printf("%s: %s\n", label, s);
    free(s);
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: %s <config-dir> <reference> <envelope-file> [<unix-time>]\n", argv[0]);
        return 2;
    }
    const char *media_type = strstr(argv[3], ".cose") ? "application/cose" : "application/jose+json";
    int64_t at = argc == 5 ? strtoll(argv[4], NULL, 10) : 0; /* 0: now */

    size_t len = 0;
    uint8_t *envelope = read_file(argv[3], &len);
    if (!envelope) {
        perror(argv[3]);
        return 2;
    }

    notaverify_verifier *verifier = NULL;
    notaverify_result rc = notaverify_verifier_from_config_dir(argv[1], &verifier);
    if (rc != NOTAVERIFY_RESULT_OK) {
        free(envelope);
        return fail("loading the configuration", rc);
    }

    notaverify_outcome *outcome = NULL;
    rc = notaverify_verify(verifier, envelope, len, media_type, argv[2], NULL, NULL, 0, at, &outcome);
    free(envelope);
    notaverify_verifier_free(verifier);
    if (rc != NOTAVERIFY_RESULT_OK) return fail("verifying", rc);

    bool verified = false;
    notaverify_outcome_verified(outcome, &verified);
    printf("%s: %s\n", argv[2], verified ? "verified" : "NOT verified");

    size_t signatures = 0, checks = 0;
    notaverify_outcome_signature_count(outcome, &signatures);
    if (signatures > 0 && notaverify_outcome_check_count(outcome, 0, &checks) == NOTAVERIFY_RESULT_OK) {
        for (size_t i = 0; i < checks; i++) {
            notaverify_check_type type = 0;
            notaverify_action action = 0;
            bool passed = false;
            char error[512] = "";
            size_t n = 0;
            notaverify_outcome_check_type(outcome, 0, i, &type);
            notaverify_outcome_check_action(outcome, 0, i, &action);
            notaverify_outcome_check_passed(outcome, 0, i, &passed);
            notaverify_outcome_check_error(outcome, 0, i, error, sizeof error, &n);
            printf("  %-18s %-7s %s%s%s\n", notaverify_check_type_name(type), notaverify_action_name(action),
                   passed ? "passed" : "FAILED", *error ? ": " : "", error);
        }
        print_field("failure", outcome, notaverify_outcome_signature_failure);
        print_field("error", outcome, notaverify_outcome_signature_error);
        print_field("signer", outcome, notaverify_outcome_signer_subject);
        print_field("issuer", outcome, notaverify_outcome_signer_issuer);
        print_field("sha256", outcome, notaverify_outcome_signer_fingerprint);
    }
    notaverify_outcome_free(outcome);
    return verified ? 0 : 1;
}
