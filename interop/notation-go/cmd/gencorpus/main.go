// Command gencorpus generates a no-network verification corpus whose expected
// results come from notation-go's own verifier. See interop/README.md.
package main

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/notaryproject/notation-core-go/signature"
	"github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

type SV struct {
	Level           string            `json:"level"`
	Override        map[string]string `json:"override,omitempty"`
	VerifyTimestamp string            `json:"verifyTimestamp,omitempty"`
}

type Stmt struct {
	Name                  string   `json:"name"`
	RegistryScopes        []string `json:"registryScopes"`
	SignatureVerification SV       `json:"signatureVerification"`
	TrustStores           []string `json:"trustStores,omitempty"`
	TrustedIdentities     []string `json:"trustedIdentities,omitempty"`
}

type Policy struct {
	Version       string `json:"version"`
	TrustPolicies []Stmt `json:"trustPolicies"`
}

type Desc struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
}

type CaseFile struct {
	ID                 string            `json:"id"`
	Description        string            `json:"description"`
	Envelope           string            `json:"envelope"`
	SignatureMediaType string            `json:"signatureMediaType"`
	Reference          string            `json:"reference"`
	Descriptor         Desc              `json:"descriptor"`
	Policy             string            `json:"policy"`
	Truststore         string            `json:"truststore"`
	UserMetadata       map[string]string `json:"userMetadata"`
	Tags               []string          `json:"tags"`
	PKI                string            `json:"pki"`
	Expected           Expected          `json:"expected"`
}

type caseSpec struct {
	desc       string
	tags       []string
	pki        *PKI
	sign       SignSpec
	tamper     string
	level      string
	override   map[string]string
	verifyTS   string
	stores     []string // "ca:NAME" etc; NAME may contain {pki}
	identities []string
	scope      string // global|specific|no-applicable|multi|global-skip
	signAnn    map[string]string
	userMeta   map[string]string
	descTamper string
}

type gen struct {
	out    string
	rng    *rand.Rand
	pool   keyPool
	pkis   map[string]*PKI
	stores map[string]bool
	pols   map[string]string
	nPol   int
	tsRoot string
	scrub  func(string) string
	round  int
}

const registry = "registry.example.com"

var identityMatchFmt = "x509.subject: C=US, ST=WA, O=Notary Test, CN=%s leaf"

func (g *gen) getPKI(kt string, n int, variant string) *PKI {
	name := fmt.Sprintf("%s-c%d-%s", kt, n, variant)
	if p, ok := g.pkis[name]; ok {
		return p
	}
	p, err := buildPKI(&g.pool, name, kt, n, variant)
	if err != nil {
		panic(err)
	}
	if p == nil {
		return nil
	}
	if err := writePKI(g.out, p); err != nil {
		panic(err)
	}
	g.pkis[name] = p
	return p
}

func (g *gen) ensureStore(typ, name string, p *PKI, which string) {
	key := typ + "/" + name
	if g.stores[key] {
		return
	}
	d := filepath.Join(g.tsRoot, "truststore", "x509", typ, name)
	if err := os.MkdirAll(d, 0o755); err != nil {
		panic(err)
	}
	var data []byte
	switch which {
	case "root":
		data = pemEncode(p.Certs[len(p.Certs)-1])
	case "int":
		data = pemEncode(p.Certs[1])
	case "leaf":
		data = pemEncode(p.Certs[0])
	}
	if err := os.WriteFile(filepath.Join(d, which+".pem"), data, 0o644); err != nil {
		panic(err)
	}
	g.stores[key] = true
}

// resolveStore turns "ca:{pki}" / "ca:{pki}-int" / "ca:{pki}-leaf" /
// "ca:unrelated" / "ca:missing" into a real store name and makes sure it exists.
func (g *gen) resolveStore(s string, p *PKI) string {
	i := strings.Index(s, ":")
	typ, name := s[:i], s[i+1:]
	switch name {
	case "{pki}":
		g.ensureStore(typ, p.Name, p, "root")
		return typ + ":" + p.Name
	case "{pki}-int":
		g.ensureStore(typ, p.Name+"-int", p, "int")
		return typ + ":" + p.Name + "-int"
	case "{pki}-leaf":
		g.ensureStore(typ, p.Name+"-leaf", p, "leaf")
		return typ + ":" + p.Name + "-leaf"
	case "unrelated":
		u := g.getPKI("p256", 2, "ok")
		if p.Name == u.Name {
			u = g.getPKI("rsa2048", 2, "ok")
		}
		g.ensureStore(typ, "unrelated-"+u.Name, u, "root")
		return typ + ":unrelated-" + u.Name
	case "missing":
		return typ + ":does-not-exist"
	}
	panic("bad store " + s)
}

func (g *gen) policyFile(pol Policy) string {
	b, _ := json.MarshalIndent(pol, "", "  ")
	b = append(b, '\n')
	h := sha256.Sum256(b)
	k := hex.EncodeToString(h[:])
	if f, ok := g.pols[k]; ok {
		return f
	}
	g.nPol++
	f := fmt.Sprintf("policies/policy-%04d.json", g.nPol)
	if err := os.WriteFile(filepath.Join(g.out, f), b, 0o644); err != nil {
		panic(err)
	}
	g.pols[k] = f
	return f
}

func (g *gen) buildPolicy(cs *caseSpec, repo string) Policy {
	stmt := Stmt{Name: "main", SignatureVerification: SV{Level: cs.level, Override: cs.override, VerifyTimestamp: cs.verifyTS}}
	if cs.level != "skip" {
		for _, s := range cs.stores {
			stmt.TrustStores = append(stmt.TrustStores, g.resolveStore(s, cs.pki))
		}
		stmt.TrustedIdentities = cs.identities
	}
	other := Stmt{Name: "other", RegistryScopes: []string{registry + "/other/repo"}, SignatureVerification: SV{Level: "strict"},
		TrustStores: []string{g.resolveStore("ca:unrelated", cs.pki)}, TrustedIdentities: []string{"*"}}
	wildSkip := Stmt{Name: "wildcard", RegistryScopes: []string{"*"}, SignatureVerification: SV{Level: "skip"}}
	wildStrict := Stmt{Name: "wildcard", RegistryScopes: []string{"*"}, SignatureVerification: SV{Level: "strict"},
		TrustStores: []string{g.resolveStore("ca:unrelated", cs.pki)}, TrustedIdentities: []string{"*"}}
	switch cs.scope {
	case "global":
		stmt.RegistryScopes = []string{"*"}
		return Policy{"1.0", []Stmt{stmt}}
	case "specific":
		stmt.RegistryScopes = []string{registry + "/" + repo}
		w := wildSkip
		if g.rng.Intn(2) == 0 {
			w = wildStrict
		}
		return Policy{"1.0", []Stmt{w, stmt}}
	case "multi":
		stmt.RegistryScopes = []string{registry + "/another/repo", registry + "/" + repo}
		return Policy{"1.0", []Stmt{other, stmt, wildStrict}}
	case "no-applicable":
		stmt.RegistryScopes = []string{registry + "/" + repo + "-not-this-one"}
		return Policy{"1.0", []Stmt{other, stmt}}
	case "global-skip":
		return Policy{"1.0", []Stmt{other, wildSkip}}
	}
	panic("scope " + cs.scope)
}

func (g *gen) commonKT() string {
	r := g.rng.Intn(100)
	switch {
	case r < 45:
		return "p256"
	case r < 85:
		return "rsa2048"
	}
	return []string{"rsa3072", "rsa4096", "p384", "p521"}[g.rng.Intn(4)]
}

func (g *gen) chainLen() int {
	r := g.rng.Intn(10)
	switch {
	case r == 0:
		return 1
	case r < 5:
		return 2
	case r < 9:
		return 3
	}
	return 4
}

func (g *gen) format() string { return []string{"jws", "cose"}[g.rng.Intn(2)] }

// base returns a passing default case.
func (g *gen) base() *caseSpec {
	kt := g.commonKT()
	n := g.chainLen()
	p := g.getPKI(kt, n, "ok")
	scheme := signature.SigningSchemeX509
	stores := []string{"ca:{pki}"}
	if g.rng.Intn(4) == 0 {
		scheme = signature.SigningSchemeX509SigningAuthority
		stores = []string{"signingAuthority:{pki}"}
	}
	ids := []string{"*"}
	if g.rng.Intn(2) == 0 {
		ids = []string{fmt.Sprintf(identityMatchFmt, p.Name)}
	}
	scope := []string{"global", "global", "specific", "multi"}[g.rng.Intn(4)]
	cs := &caseSpec{pki: p, sign: SignSpec{Format: g.format(), Scheme: scheme}, level: "strict", stores: stores, identities: ids, scope: scope}
	if scheme == signature.SigningSchemeX509 && g.rng.Intn(2) == 0 {
		cs.sign.UseNotationSigner = true
	}
	return cs
}

func (g *gen) level() string {
	return []string{"strict", "permissive", "audit"}[g.rng.Intn(3)]
}

type scenario struct {
	name string
	f    func(g *gen) *caseSpec
}

func withPKI(g *gen, cs *caseSpec, variant string, minLen int) *caseSpec {
	n := cs.pki.Certs
	l := len(n)
	if l < minLen {
		l = minLen
	}
	p := g.getPKI(cs.pki.KeyType, l, variant)
	if p == nil {
		p = g.getPKI(cs.pki.KeyType, 3, variant)
	}
	cs.pki = p
	cs.sign.UseNotationSigner = cs.sign.UseNotationSigner && !p.Broken && p.SignTime.IsZero()
	if cs.identities[0] != "*" {
		cs.identities = []string{fmt.Sprintf(identityMatchFmt, p.Name)}
	}
	return cs
}

var scenarios = []scenario{
	{"happy", func(g *gen) *caseSpec { return g.base() }},
	{"keytype", func(g *gen) *caseSpec {
		cs := g.base()
		kt := []string{"rsa2048", "rsa3072", "rsa4096", "p256", "p384", "p521"}[g.pick(6)]
		cs.pki = g.getPKI(kt, len(cs.pki.Certs), "ok")
		cs.identities = []string{"*"}
		return cs
	}},
	{"unsupported-key", func(g *gen) *caseSpec {
		cs := g.base()
		kt := []string{"rsa1024", "p224"}[g.pick(2)]
		n := len(cs.pki.Certs)
		if n == 1 {
			n = 2
		}
		cs.pki = g.getPKI(kt, n, "unsupported-key")
		cs.identities = []string{"*"}
		cs.sign.UseNotationSigner = false
		return cs
	}},
	{"level", func(g *gen) *caseSpec { cs := g.base(); cs.level = g.level(); return cs }},
	{"skip-level", func(g *gen) *caseSpec {
		cs := g.base()
		cs.level = "skip"
		if g.rng.Intn(3) == 0 {
			cs.tamper = "signature"
		}
		return cs
	}},
	{"global-skip", func(g *gen) *caseSpec { cs := g.base(); cs.scope = "global-skip"; return cs }},
	{"no-applicable", func(g *gen) *caseSpec { cs := g.base(); cs.scope = "no-applicable"; return cs }},
	{"tamper", func(g *gen) *caseSpec {
		cs := g.base()
		cs.tamper = []string{"payload", "signature", "protected", "mediatype-swap"}[g.pick(4)]
		cs.level = g.level()
		return cs
	}},
	{"tamper-chain", func(g *gen) *caseSpec {
		cs := g.base()
		if len(cs.pki.Certs) < 2 {
			cs.pki = g.getPKI(cs.pki.KeyType, 3, "ok")
			cs.identities = []string{"*"}
		}
		cs.tamper = []string{"chain-reverse", "chain-drop-root", "chain-extra", "chain-leaf-only"}[g.pick(4)]
		return cs
	}},
	{"descriptor", func(g *gen) *caseSpec {
		cs := g.base()
		cs.descTamper = []string{"digest", "size", "mediaType", "annotations"}[g.pick(4)]
		cs.level = g.level()
		return cs
	}},
	{"leaf-variant", func(g *gen) *caseSpec {
		cs := g.base()
		v := []string{"eku-serverauth", "eku-timestamping", "eku-ocspsigning", "eku-any", "eku-none", "ku-missing", "ku-noncritical", "ku-keyencipherment", "ku-contentcommitment", "leaf-is-ca"}[g.pick(10)]
		cs.level = g.level()
		return withPKI(g, cs, v, 2)
	}},
	{"ca-variant", func(g *gen) *caseSpec {
		cs := g.base()
		v := []string{"ca-no-bc", "ca-false", "ca-bc-noncritical", "ca-no-keycertsign", "ca-ku-noncritical", "pathlen-exceeded", "pathlen-ok"}[g.pick(7)]
		min := 2
		if strings.HasPrefix(v, "pathlen") {
			min = 3
		}
		return withPKI(g, cs, v, min)
	}},
	{"validity", func(g *gen) *caseSpec {
		cs := g.base()
		v := []string{"leaf-expired", "leaf-notyetvalid", "ca-expired"}[g.pick(3)]
		cs.level = g.level()
		cs = withPKI(g, cs, v, 2)
		if g.rng.Intn(3) == 0 {
			cs.override = map[string]string{"authenticTimestamp": "log"}
			cs.level = "strict"
		}
		return cs
	}},
	{"subject", func(g *gen) *caseSpec {
		cs := g.base()
		v := []string{"subject-email", "subject-two-ou", "subject-no-st", "subject-escaped"}[g.pick(4)]
		cs = withPKI(g, cs, v, 1)
		switch g.rng.Intn(3) {
		case 0:
			cs.identities = []string{"*"}
		case 1:
			cs.identities = []string{"x509.subject: C=US, ST=WA, O=Notary Test"}
			if v == "subject-escaped" {
				cs.identities = []string{`x509.subject: C=US, ST=WA, O=Notary\, Test\; Inc`}
			}
		default:
			cs.identities = []string{"x509.subject: C=US, ST=WA, O=Someone Else"}
		}
		cs.level = g.level()
		return cs
	}},
	{"identity", func(g *gen) *caseSpec {
		cs := g.base()
		cs.level = g.level()
		switch g.pick(5) {
		case 0:
			cs.identities = []string{"x509.subject: C=US, ST=WA, O=Other Org"}
		case 1:
			cs.identities = []string{"x509.subject: C=US, ST=WA, O=Notary Test"}
		case 2:
			cs.identities = []string{"x509.subject: C=US, ST=WA, O=Other Org", fmt.Sprintf(identityMatchFmt, cs.pki.Name)}
		case 3:
			cs.identities = []string{"custom.identity: something"}
		default:
			cs.identities = []string{"x509.subject: C=US, ST=WA, O=Notary Test, CN=wrong leaf"}
		}
		return cs
	}},
	{"truststore", func(g *gen) *caseSpec {
		cs := g.base()
		cs.level = g.level()
		if len(cs.pki.Certs) < 2 {
			cs.pki = g.getPKI(cs.pki.KeyType, 2, "ok")
			cs.identities = []string{"*"}
		}
		typ := "ca"
		if cs.sign.Scheme == signature.SigningSchemeX509SigningAuthority {
			typ = "signingAuthority"
		}
		switch g.pick(7) {
		case 0:
			cs.stores = []string{typ + ":unrelated"}
		case 1:
			cs.stores = []string{typ + ":{pki}-int"}
		case 2:
			cs.stores = []string{typ + ":{pki}-leaf"}
		case 3:
			cs.stores = []string{typ + ":missing"}
		case 4:
			cs.stores = []string{typ + ":unrelated", typ + ":{pki}"}
		case 5: // wrong store type for the scheme
			if typ == "ca" {
				cs.stores = []string{"signingAuthority:{pki}"}
			} else {
				cs.stores = []string{"ca:{pki}"}
			}
		default:
			cs.stores = []string{"tsa:{pki}"}
		}
		return cs
	}},
	{"tsa-store", func(g *gen) *caseSpec {
		cs := g.base()
		cs.sign.Scheme = signature.SigningSchemeX509
		cs.stores = []string{"ca:{pki}", "tsa:{pki}"}
		cs.level = g.level()
		if g.rng.Intn(2) == 0 {
			cs.verifyTS = "afterCertExpiry"
		}
		if g.rng.Intn(3) == 0 {
			cs = withPKI(g, cs, "leaf-expired", 2)
			cs.stores = []string{"ca:{pki}", "tsa:{pki}"}
		}
		return cs
	}},
	{"expiry", func(g *gen) *caseSpec {
		cs := g.base()
		cs.level = g.level()
		cs.sign.UseNotationSigner = false
		switch g.pick(3) {
		case 0:
			cs.sign.SigningTime = pastSignTime
			cs.sign.Expiry = time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
		case 1:
			cs.sign.Expiry = time.Date(2110, 1, 1, 0, 0, 0, 0, time.UTC)
		default:
			if cs.sign.Scheme == signature.SigningSchemeX509 {
				cs.sign.UseNotationSigner = true
				cs.sign.ExpiryDuration = 50 * 365 * 24 * time.Hour
			} else {
				cs.sign.SigningTime = pastSignTime
				cs.sign.Expiry = time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)
			}
		}
		if g.rng.Intn(3) == 0 {
			cs.override = map[string]string{"expiry": "log"}
			cs.level = "strict"
		}
		return cs
	}},
	{"override", func(g *gen) *caseSpec {
		cs := g.base()
		cs.level = g.level()
		ov := []map[string]string{
			{"revocation": "skip"}, {"revocation": "log"}, {"authenticity": "log"}, {"authenticity": "enforce"},
			{"expiry": "log", "revocation": "skip"}, {"authenticTimestamp": "log"}, {"authenticTimestamp": "enforce", "expiry": "enforce"},
		}
		cs.override = ov[g.pick(len(ov))]
		if g.rng.Intn(2) == 0 {
			cs.identities = []string{"x509.subject: C=US, ST=WA, O=Other Org"}
		}
		return cs
	}},
	{"revocation-urls", func(g *gen) *caseSpec {
		cs := g.base()
		cs.level = g.level()
		v := []string{"leaf-ocsp-url", "leaf-crl-url"}[g.pick(2)]
		cs = withPKI(g, cs, v, 2)
		switch g.rng.Intn(3) {
		case 0:
			cs.override = map[string]string{"revocation": "skip"}
		case 1:
			cs.override = map[string]string{"revocation": "log"}
		}
		return cs
	}},
	{"ext-attrs", func(g *gen) *caseSpec {
		cs := g.base()
		cs.sign.UseNotationSigner = false
		cs.level = g.level()
		switch g.pick(6) {
		case 0:
			cs.sign.ExtAttrs = []signature.Attribute{{Key: "io.example.attr", Value: "value", Critical: true}}
		case 1:
			cs.sign.ExtAttrs = []signature.Attribute{{Key: "io.example.attr", Value: "value", Critical: false}, {Key: "io.example.other", Value: "x", Critical: true}}
		case 2:
			cs.sign.ExtAttrs = []signature.Attribute{{Key: "io.cncf.notary.verificationPlugin", Value: "com.example.plugin", Critical: true}}
		case 3:
			cs.sign.ExtAttrs = []signature.Attribute{{Key: "io.cncf.notary.verificationPlugin", Value: "com.example.plugin", Critical: false}}
		case 4:
			cs.sign.ExtAttrs = []signature.Attribute{{Key: "io.cncf.notary.verificationPlugin", Value: "com.example.plugin", Critical: true}, {Key: "io.cncf.notary.verificationPluginMinVersion", Value: "1.0.0", Critical: true}}
		default:
			cs.sign.ExtAttrs = []signature.Attribute{{Key: "io.cncf.notary.verificationPluginMinVersion", Value: "1.0.0", Critical: true}}
		}
		return cs
	}},
	{"user-metadata", func(g *gen) *caseSpec {
		cs := g.base()
		cs.signAnn = map[string]string{"buildId": "101", "io.example.team": "blue"}
		switch g.pick(5) {
		case 0:
			cs.userMeta = map[string]string{"buildId": "101"}
		case 1:
			cs.userMeta = map[string]string{"buildId": "101", "io.example.team": "blue"}
		case 2:
			cs.userMeta = map[string]string{"buildId": "102"}
		case 3:
			cs.userMeta = map[string]string{"missing": "x"}
		default:
			cs.signAnn = nil
			cs.userMeta = map[string]string{"buildId": "101"}
		}
		return cs
	}},
}

func main() {
	seed := flag.Int64("seed", 1, "random seed (selects the case mix; key material and signatures are always fresh)")
	count := flag.Int("count", 2000, "number of cases")
	out := flag.String("out", "", "output directory")
	bench := flag.Bool("bench", false, "write the benchmark set instead of the corpus")
	check := flag.String("check", "", "re-verify an existing corpus DIR with notation-go and compare with the recorded expectations")
	flag.Parse()
	if *check != "" {
		if err := checkCorpus(*check); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if *out == "" {
		fmt.Fprintln(os.Stderr, "-out is required")
		os.Exit(2)
	}
	if *bench {
		if err := genBench(*out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	absOut, err := filepath.Abs(*out)
	if err != nil {
		panic(err)
	}
	for _, d := range []string{"pki", "cases", "policies", "truststores/main"} {
		if err := os.MkdirAll(filepath.Join(absOut, d), 0o755); err != nil {
			panic(err)
		}
	}
	g := &gen{out: absOut, rng: rand.New(rand.NewSource(*seed)), pkis: map[string]*PKI{}, stores: map[string]bool{}, pols: map[string]string{},
		tsRoot: filepath.Join(absOut, "truststores", "main")}
	g.scrub = func(s string) string { return strings.ReplaceAll(s, absOut, "$CORPUS") }
	stats := map[string]int{}
	verified := 0
	for i := 0; i < *count; i++ {
		sc := scenarios[i%len(scenarios)]
		g.round = i / len(scenarios)
		cs := sc.f(g)
		cs.tags = append([]string{sc.name}, cs.tags...)
		cf, err := g.emit(i, sc.name, cs)
		if err != nil {
			fmt.Fprintf(os.Stderr, "case %d (%s): %v\n", i, sc.name, err)
			os.Exit(1)
		}
		stats[sc.name]++
		if cf.Expected.Verified {
			verified++
		}
	}
	names := make([]string, 0, len(stats))
	for k := range stats {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(os.Stderr, "  %-16s %d\n", k, stats[k])
	}
	fmt.Printf("wrote %d cases (%d verified, %d failed) to %s\n", *count, verified, *count-verified, *out)
}

func (g *gen) emit(i int, scName string, cs *caseSpec) (*CaseFile, error) {
	id := fmt.Sprintf("%05d-%s", i, scName)
	repo := fmt.Sprintf("notaverify/app%d", g.rng.Intn(4))
	content := make([]byte, 64)
	g.rng.Read(content)
	desc := ocispec.Descriptor{MediaType: ocispec.MediaTypeImageManifest, Digest: digest.FromBytes(content), Size: int64(200 + g.rng.Intn(5000))}
	if cs.signAnn != nil {
		desc.Annotations = cs.signAnn
	}
	p := cs.pki
	ss := cs.sign
	if ss.SigningTime.IsZero() && !p.SignTime.IsZero() {
		ss.SigningTime = p.SignTime
		ss.UseNotationSigner = false
	}
	var env []byte
	var err error
	if p.Broken {
		// Sign with the valid sibling chain (same leaf key for structural
		// variants), then swap in the broken chain; unsupported keys are
		// re-signed with the header's algorithm.
		ss.UseNotationSigner = false
		switch p.KeyType {
		case "rsa1024", "p224":
			baseKT := map[string]string{"rsa1024": "rsa2048", "p224": "p256"}[p.KeyType]
			bp := g.getPKI(baseKT, len(p.Certs), "ok")
			env, err = signEnvelope(bp, desc, ss)
			if err == nil {
				env, err = mutate(ss.Format, env, p.Certs, p.LeafKey, nil, false)
			}
		default:
			bp := g.getPKI(p.KeyType, len(p.Certs), "ok")
			env, err = signEnvelope(bp, desc, ss)
			if err == nil {
				env, err = mutate(ss.Format, env, p.Certs, nil, nil, false)
			}
		}
	} else {
		env, err = signEnvelope(p, desc, ss)
	}
	if err != nil {
		return nil, fmt.Errorf("sign %s: %w", p.Name, err)
	}
	mt := mediaTypes[ss.Format]
	verifyMT := mt
	switch cs.tamper {
	case "":
	case "payload":
		env, err = mutate(ss.Format, env, nil, nil, func(pp *parts) { pp.payload = replaceSameLen(pp.payload, "sha256:", "sha256;") }, false)
	case "signature":
		env, err = mutate(ss.Format, env, nil, nil, func(pp *parts) { pp.sig = flipByte(pp.sig, len(pp.sig)/3) }, false)
	case "protected":
		env, err = mutate(ss.Format, env, nil, nil, func(pp *parts) { pp.protected = replaceSameLen(pp.protected, "payload.v1", "payload.v2") }, false)
	case "mediatype-swap":
		if ss.Format == "jws" {
			verifyMT = mediaTypes["cose"]
		} else {
			verifyMT = mediaTypes["jws"]
		}
	case "chain-reverse":
		env, err = mutate(ss.Format, env, reverseCerts(p.Certs), nil, nil, false)
	case "chain-drop-root":
		env, err = mutate(ss.Format, env, p.Certs[:len(p.Certs)-1], nil, nil, false)
	case "chain-leaf-only":
		env, err = mutate(ss.Format, env, p.Certs[:1], nil, nil, false)
	case "chain-extra":
		u := g.getPKI("p384", 2, "ok")
		env, err = mutate(ss.Format, env, append(append([]*x509.Certificate{}, p.Certs...), u.Certs[1]), nil, nil, false)
	default:
		return nil, fmt.Errorf("unknown tamper %s", cs.tamper)
	}
	if err != nil {
		return nil, fmt.Errorf("tamper %s: %w", cs.tamper, err)
	}
	vdesc := Desc{MediaType: desc.MediaType, Digest: desc.Digest.String(), Size: desc.Size}
	vd := ocispec.Descriptor{MediaType: desc.MediaType, Digest: desc.Digest, Size: desc.Size}
	switch cs.descTamper {
	case "digest":
		other := digest.FromString("other content " + id)
		vdesc.Digest, vd.Digest = other.String(), other
	case "size":
		vdesc.Size++
		vd.Size++
	case "mediaType":
		vdesc.MediaType = ocispec.MediaTypeImageIndex
		vd.MediaType = ocispec.MediaTypeImageIndex
	case "annotations":
		vd.Annotations = map[string]string{"unsigned": "annotation"}
	}
	ref := fmt.Sprintf("%s/%s@%s", registry, repo, vdesc.Digest)
	pol := g.buildPolicy(cs, repo)
	polFile := g.policyFile(pol)
	polBytes, err := os.ReadFile(filepath.Join(g.out, polFile))
	if err != nil {
		return nil, err
	}
	exp, err := runVerify(polBytes, g.tsRoot, vd, env, verifyMT, ref, cs.userMeta, g.scrub)
	if err != nil {
		return nil, err
	}
	caseDir := filepath.Join(g.out, "cases", id)
	if err := os.MkdirAll(caseDir, 0o755); err != nil {
		return nil, err
	}
	envName := "signature." + ss.Format + ".sig"
	if err := os.WriteFile(filepath.Join(caseDir, envName), env, 0o644); err != nil {
		return nil, err
	}
	um := cs.userMeta
	if um == nil {
		um = map[string]string{}
	}
	d := describe(cs, ss)
	cf := &CaseFile{ID: id, Description: d, Envelope: envName, SignatureMediaType: verifyMT, Reference: ref, Descriptor: vdesc,
		Policy: polFile, Truststore: "truststores/main", UserMetadata: um, Tags: cs.tags, PKI: "pki/" + p.Name, Expected: exp}
	b, _ := json.MarshalIndent(cf, "", "  ")
	b = append(b, '\n')
	return cf, os.WriteFile(filepath.Join(caseDir, "case.json"), b, 0o644)
}

func describe(cs *caseSpec, ss SignSpec) string {
	parts := []string{ss.Format, string(ss.Scheme), cs.pki.Description, "level " + cs.level}
	if ss.UseNotationSigner {
		parts = append(parts, "signed with notation-go signer.New")
	} else {
		parts = append(parts, "signed with notation-core-go Envelope.Sign")
	}
	if cs.pki.Broken {
		parts = append(parts, "chain swapped into a validly signed envelope")
	}
	if len(cs.override) > 0 {
		parts = append(parts, fmt.Sprintf("override %v", cs.override))
	}
	if cs.verifyTS != "" {
		parts = append(parts, "verifyTimestamp "+cs.verifyTS)
	}
	if !ss.Expiry.IsZero() {
		parts = append(parts, "expiry "+ss.Expiry.UTC().Format(time.RFC3339))
	}
	if ss.ExpiryDuration != 0 {
		parts = append(parts, "expiry now+"+ss.ExpiryDuration.String())
	}
	if !ss.SigningTime.IsZero() {
		parts = append(parts, "signing time "+ss.SigningTime.UTC().Format(time.RFC3339))
	}
	for _, a := range ss.ExtAttrs {
		parts = append(parts, fmt.Sprintf("ext attr %v=%v critical=%v", a.Key, a.Value, a.Critical))
	}
	if cs.tamper != "" {
		parts = append(parts, "tamper "+cs.tamper)
	}
	if cs.descTamper != "" {
		parts = append(parts, "descriptor tamper "+cs.descTamper)
	}
	parts = append(parts, "scope "+cs.scope, fmt.Sprintf("stores %v", cs.stores), fmt.Sprintf("identities %v", cs.identities))
	if cs.signAnn != nil {
		parts = append(parts, fmt.Sprintf("signed annotations %v", cs.signAnn))
	}
	if cs.userMeta != nil {
		parts = append(parts, fmt.Sprintf("required user metadata %v", cs.userMeta))
	}
	return strings.Join(parts, "; ")
}

// pick cycles through the n variants of a scenario's primary choice, so each
// variant appears every n rounds (a round = one case per scenario).
func (g *gen) pick(n int) int { return g.round % n }
