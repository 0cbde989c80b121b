package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/notaryproject/notation-core-go/revocation"
	"github.com/notaryproject/notation-core-go/revocation/crl"
	"github.com/notaryproject/notation-core-go/revocation/purpose"
	"github.com/notaryproject/notation-go"
	"github.com/notaryproject/notation-go/dir"
	"github.com/notaryproject/notation-go/verifier"
	"github.com/notaryproject/notation-go/verifier/trustpolicy"
	"github.com/notaryproject/notation-go/verifier/truststore"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// offlineTransport refuses every request: revocation checks never touch the
// network; certificates with OCSP/CRL URLs get "unknown".
type offlineTransport struct{}

func (offlineTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("network disabled (offline corpus generator): %s", r.URL.Host)
}

func offlineValidators() (verifier.VerifierOptions, error) {
	client := &http.Client{Transport: offlineTransport{}}
	f, err := crl.NewHTTPFetcher(client)
	if err != nil {
		return verifier.VerifierOptions{}, err
	}
	cs, err := revocation.NewWithOptions(revocation.Options{OCSPHTTPClient: client, CRLFetcher: f, CertChainPurpose: purpose.CodeSigning})
	if err != nil {
		return verifier.VerifierOptions{}, err
	}
	ts, err := revocation.NewWithOptions(revocation.Options{OCSPHTTPClient: client, CRLFetcher: f, CertChainPurpose: purpose.Timestamping})
	if err != nil {
		return verifier.VerifierOptions{}, err
	}
	return verifier.VerifierOptions{RevocationCodeSigningValidator: cs, RevocationTimestampingValidator: ts}, nil
}

type Result struct {
	Type   string  `json:"type"`
	Action string  `json:"action"`
	Error  *string `json:"error"`
}

type Expected struct {
	Verified      bool     `json:"verified"`
	Level         *string  `json:"level"`
	Results       []Result `json:"results"`
	FailingChecks []string `json:"failingChecks"`
	ErrorType     *string  `json:"errorType"`
	ErrorGoType   *string  `json:"errorGoType"`
	ErrorCategory *string  `json:"errorCategory"`
	Error         *string  `json:"error"`
}

func sp(s string) *string { return &s }

func typeName(err error) (bare, full string) {
	t := reflect.TypeOf(err)
	full = t.String()
	for t.Kind() == reflect.Ptr {
		t = t.Elem()
	}
	return t.Name(), full
}

// runVerify runs notation-go's verifier and converts the outcome.
// tsRoot is the absolute notation-config-like directory holding truststore/x509/...
func runVerify(policyJSON []byte, tsRoot string, desc ocispec.Descriptor, env []byte, mediaType, ref string, um map[string]string, scrub func(string) string) (Expected, error) {
	var doc trustpolicy.Document
	if err := json.Unmarshal(policyJSON, &doc); err != nil {
		return Expected{}, err
	}
	opts, err := offlineValidators()
	if err != nil {
		return Expected{}, err
	}
	v, err := verifier.NewWithOptions(&doc, truststore.NewX509TrustStore(dir.NewSysFS(tsRoot)), nil, opts)
	if err != nil {
		return Expected{}, fmt.Errorf("verifier construction: %w", err)
	}
	outcome, verr := v.Verify(context.Background(), desc, env, notation.VerifierVerifyOptions{
		ArtifactReference: ref, SignatureMediaType: mediaType, UserMetadata: um,
	})
	exp := Expected{Verified: verr == nil, Results: []Result{}, FailingChecks: []string{}}
	if outcome != nil && outcome.VerificationLevel != nil {
		exp.Level = sp(outcome.VerificationLevel.Name)
	}
	if outcome != nil {
		for _, r := range outcome.VerificationResults {
			res := Result{Type: string(r.Type), Action: string(r.Action)}
			if r.Error != nil {
				res.Error = sp(scrub(r.Error.Error()))
				if r.Action == trustpolicy.ActionEnforce {
					exp.FailingChecks = append(exp.FailingChecks, string(r.Type))
				}
			}
			exp.Results = append(exp.Results, res)
		}
	}
	if verr != nil {
		bare, full := typeName(verr)
		exp.ErrorType, exp.ErrorGoType = sp(bare), sp(full)
		exp.Error = sp(scrub(verr.Error()))
		cat := ""
		var nap notation.NoApplicableTrustPolicyError
		var umf notation.UserMetadataVerificationFailedError
		switch {
		case errors.As(verr, &nap):
			cat = "policy"
		case errors.As(verr, &umf):
			cat = "userMetadata"
		case verr.Error() == "content descriptor mismatch":
			cat = "descriptor"
		case len(exp.FailingChecks) > 0:
			cat = exp.FailingChecks[len(exp.FailingChecks)-1]
		case outcome != nil && len(outcome.VerificationResults) == 1 && outcome.VerificationResults[0].Error == nil:
			// integrity passed, failed before authenticity: plugin pre-checks
			cat = "plugin"
		default:
			cat = "integrity"
		}
		exp.ErrorCategory = sp(cat)
		switch cat {
		case "policy", "userMetadata", "descriptor", "plugin":
			exp.FailingChecks = append(exp.FailingChecks, cat)
		case "integrity":
			if len(exp.FailingChecks) == 0 {
				exp.FailingChecks = append(exp.FailingChecks, cat)
			}
		}
	}
	return exp, nil
}

var _ = strings.Contains
