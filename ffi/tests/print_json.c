/* Prints the JSON document of one C call on stdout, for compare_cli_json.py to compare with what
 * the CLI prints for the same request:
 *
 *   print_json verify <config-dir> <layout-dir> <tag-or-digest> <scope> <at-unix> [all]
 *       notaverify_verifier_from_config_dir + notaverify_verify_oci_layout (all_signatures with
 *       `all`) + notaverify_outcome_json
 *   print_json inspect <layout-dir> <tag-or-digest>
 *       notaverify_inspect_oci_layout + notaverify_inspection_json
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
    fprintf(stderr,
            "usage: %s verify <config-dir> <layout-dir> <tag-or-digest> <scope> <at-unix> [all]\n"
            "       %s inspect <layout-dir> <tag-or-digest>\n",
            argv[0], argv[0]);
    return 2;
}
