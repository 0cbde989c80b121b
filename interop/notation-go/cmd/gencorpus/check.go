package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// checkCorpus re-runs notation-go over an existing corpus directory and
// reports cases whose recorded expectation differs from today's result.
func checkCorpus(dir string) error {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	scrub := func(s string) string { return strings.ReplaceAll(s, absDir, "$CORPUS") }
	paths, err := filepath.Glob(filepath.Join(absDir, "cases", "*", "case.json"))
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("no cases under %s", dir)
	}
	bad := 0
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var cf CaseFile
		if err := json.Unmarshal(b, &cf); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		env, err := os.ReadFile(filepath.Join(filepath.Dir(p), cf.Envelope))
		if err != nil {
			return err
		}
		pol, err := os.ReadFile(filepath.Join(absDir, cf.Policy))
		if err != nil {
			return err
		}
		desc := ocispec.Descriptor{MediaType: cf.Descriptor.MediaType, Digest: digest.Digest(cf.Descriptor.Digest), Size: cf.Descriptor.Size}
		um := cf.UserMetadata
		if len(um) == 0 {
			um = nil
		}
		got, err := runVerify(pol, filepath.Join(absDir, cf.Truststore), desc, env, cf.SignatureMediaType, cf.Reference, um, scrub)
		if err != nil {
			return fmt.Errorf("%s: %w", cf.ID, err)
		}
		if !reflect.DeepEqual(got, cf.Expected) {
			bad++
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(cf.Expected)
			fmt.Printf("MISMATCH %s\n  recorded: %s\n  now:      %s\n", cf.ID, w, g)
		}
	}
	fmt.Printf("%d passed, %d failed\n", len(paths)-bad, bad)
	if bad > 0 {
		return fmt.Errorf("%d cases differ", bad)
	}
	return nil
}
