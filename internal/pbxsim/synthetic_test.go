package pbxsim

import (
	"testing"
)

func TestFullPBXCertificates(t *testing.T) {
	s := New()
	s.SetCertificates(FullPBXCertificates())
	access, _ := login(t, s)
	a := list(t, s, access, map[string][]string{"page_size": {"100"}})
	if a.TotalNumber != 23 {
		t.Fatalf("a full PBX holds %d certificates, want 23", a.TotalNumber)
	}
	kinds := map[string]int{}
	names := map[string]bool{}
	for i, c := range a.CertificateList {
		if c.ID != int64(i+1) {
			t.Fatalf("certificate %d has id %d, want ids 1 to 23", i, c.ID)
		}
		kinds[c.Type]++
		names[c.Name] = true
		if (c.Type == "server") != (len(c.AuthInfoList) == 5) {
			t.Errorf("certificate %d (%s) has %d auth parameters", c.ID, c.Type, len(c.AuthInfoList))
		}
	}
	if kinds["server"] != 3 || kinds["trusted"] != 20 || len(names) != 23 {
		t.Fatalf("kinds %v, %d distinct names", kinds, len(names))
	}
}

func TestSyntheticCertificatesAreFresh(t *testing.T) {
	a, b := SyntheticCertificates(1, 0), SyntheticCertificates(1, 0)
	*a[0].AuthInfoList[0].IV = 1
	if *b[0].AuthInfoList[0].IV == 1 {
		t.Fatal("two calls share pointers")
	}
}
