/* Prints the JSON document of one C call on stdout, for compare_cli_json.py to compare with what
 * the CLI prints for the same request:
 *
 *   print_json verify <config-dir> <layout-dir> <tag-or-digest> <scope> <at-unix> [all]
 *       notaverify_verifier_from_config_dir + notaverify_verify_oci_layout (all_signatures with
 *       `all`) + notaverify_outcome_json
 *   print_json inspect <layout-dir> <tag-or-digest>
 *       notaverify_inspect_oci_layout + notaverify_inspection_json
 *   print_json classify <config-dir> <layout-dir> <tag-or-digest> <scope> <at-unix> <exceptions> <retired>
 *       notaverify_verifier_from_config_dir + notaverify_exceptions_from_json (of the file
 *       <exceptions>, "-" for none) + notaverify_retired_from_json (of the file <retired>, "-" for
 *       none, its stores read from <config-dir>) + notaverify_classify_oci_layout +
 *       notaverify_classification_json
 *
 * Exits 0 with the document, or 2 with the failed call's result name and message on stderr. */
#include <notaverify.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef notaverify_result (*json_getter)(const void *, char *, size_t, size_t *);

static int fail(const char *call, notaverify_result rc) {
    char msg[1024];
    size_t n = 0;
    notaverify_last_error(msg, sizeof msg, &n);
    const char *name = notaverify_result_name(rc);
    fprintf(stderr, "%s: %s: %s\n", call, name ? name : "?", msg);
    return 2;
}

/* Prints the document `get` copies out of `handle`; 0 on success. */
static int print_document(json_getter get, const void *handle) {
    size_t n = 0;
    notaverify_result rc = get(handle, NULL, 0, &n);
    if (rc != NOTAVERIFY_RESULT_BUFFER_TOO_SMALL) return fail("json size", rc);
    char *json = malloc(n + 1);
    if (!json) abort();
    rc = get(handle, json, n + 1, &n);
    if (rc == NOTAVERIFY_RESULT_OK) printf("%s\n", json);
    free(json);
    return rc == NOTAVERIFY_RESULT_OK ? 0 : fail("json", rc);
}

static notaverify_result outcome_json(const void *o, char *buf, size_t len, size_t *out_len) {
    return notaverify_outcome_json(o, buf, len, out_len);
}

static notaverify_result inspection_json(const void *in, char *buf, size_t len, size_t *out_len) {
    return notaverify_inspection_json(in, buf, len, out_len);
}

static notaverify_result classification_json(const void *c, char *buf, size_t len, size_t *out_len) {
    return notaverify_classification_json(c, buf, len, out_len);
}

/* The bytes of the file at `path` (malloc'd, *len set); NULL when it cannot be read. */
static uint8_t *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    uint8_t *buf = NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)size + 1)) != NULL &&
        fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)size;
    return buf;
}

static int classify(char **argv) {
    int status = 2;
    notaverify_verifier *verifier = NULL;
    notaverify_exceptions *exceptions = NULL;
    notaverify_retired *retired = NULL;
    notaverify_classification *classification = NULL;
    uint8_t *json = NULL;
    size_t len = 0;
    notaverify_result rc = notaverify_verifier_from_config_dir(argv[0], &verifier);
    if (rc != NOTAVERIFY_RESULT_OK) {
        status = fail("notaverify_verifier_from_config_dir", rc);
        goto done;
    }
    if (strcmp(argv[5], "-") != 0) {
        if (!(json = read_file(argv[5], &len))) goto unreadable;
        rc = notaverify_exceptions_from_json(json, len, &exceptions);
        free(json);
        if (rc != NOTAVERIFY_RESULT_OK) {
            status = fail("notaverify_exceptions_from_json", rc);
            goto done;
        }
    }
    if (strcmp(argv[6], "-") != 0) {
        if (!(json = read_file(argv[6], &len))) goto unreadable;
        rc = notaverify_retired_from_json(json, len, argv[0], &retired);
        free(json);
        if (rc != NOTAVERIFY_RESULT_OK) {
            status = fail("notaverify_retired_from_json", rc);
            goto done;
        }
    }
    const notaverify_verify_options options = {.at_unix = strtoll(argv[4], NULL, 10)};
    rc = notaverify_classify_oci_layout(verifier, argv[1], argv[2], argv[3], &options, exceptions, retired,
                                        &classification);
    status = rc == NOTAVERIFY_RESULT_OK ? print_document(classification_json, classification)
                                        : fail("notaverify_classify_oci_layout", rc);
    goto done;
unreadable:
    fprintf(stderr, "cannot read a posture file\n");
done:
    notaverify_classification_free(classification);
    notaverify_retired_free(retired);
    notaverify_exceptions_free(exceptions);
    notaverify_verifier_free(verifier);
    return status;
}

static int verify(char **argv, int all) {
    notaverify_verifier *verifier = NULL;
    notaverify_result rc = notaverify_verifier_from_config_dir(argv[0], &verifier);
    if (rc != NOTAVERIFY_RESULT_OK) return fail("notaverify_verifier_from_config_dir", rc);
    const notaverify_verify_options options = {.at_unix = strtoll(argv[4], NULL, 10), .all_signatures = all};
    notaverify_outcome *outcome = NULL;
    rc = notaverify_verify_oci_layout(verifier, argv[1], argv[2], argv[3], &options, &outcome);
    int status = rc == NOTAVERIFY_RESULT_OK ? print_document(outcome_json, outcome)
                                            : fail("notaverify_verify_oci_layout", rc);
    notaverify_outcome_free(outcome);
    notaverify_verifier_free(verifier);
    return status;
}

static int inspect(char **argv) {
    notaverify_inspection *inspection = NULL;
    notaverify_result rc = notaverify_inspect_oci_layout(argv[0], argv[1], &inspection);
    int status = rc == NOTAVERIFY_RESULT_OK ? print_document(inspection_json, inspection)
                                            : fail("notaverify_inspect_oci_layout", rc);
    notaverify_inspection_free(inspection);
    return status;
}

int main(int argc, char **argv) {
    if (argc >= 7 && argc <= 8 && strcmp(argv[1], "verify") == 0 && (argc == 7 || strcmp(argv[7], "all") == 0))
        return verify(argv + 2, argc == 8);
    if (argc == 4 && strcmp(argv[1], "inspect") == 0) return inspect(argv + 2);
    if (argc == 9 && strcmp(argv[1], "classify") == 0) return classify(argv + 2);
    fprintf(stderr,
            "usage: %s verify <config-dir> <layout-dir> <tag-or-digest> <scope> <at-unix> [all]\n"
            "       %s inspect <layout-dir> <tag-or-digest>\n"
            "       %s classify <config-dir> <layout-dir> <tag-or-digest> <scope> <at-unix> <exceptions|-> "
            "<retired|->\n",
            argv[0], argv[0], argv[0]);
    return 2;
}
