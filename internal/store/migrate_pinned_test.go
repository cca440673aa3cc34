package store

import (
	"fmt"
	"os"
	"slices"
	"testing"
)

// pinnedChecksums is the SHA-256 of every committed migration. A database records the
// checksum of each migration it applied and refuses a binary whose file differs, so a
// committed migration must never change: put the change in a new migration instead, and add
// its checksum here in the same commit.
var pinnedChecksums = map[int]string{
	1:  "2291a8a4c4c154ed0db59a8527724a31a1caa692e89ef1f928caa002e45f2763",
	2:  "e6999a6f4c5e62eb5f8b50b34f4eaeeaf42843d34b6e8fc7df9184bf0f8876f5",
	3:  "a3d22edbf6e1da7223f7e6bb9a71ddaf5a660b0b6d8b901c965c77e93d03a77f",
	4:  "940bae8e4279b34163773751f9c6ecacfc296ca9c68de8ea007b3ca1c7d0bdde",
	5:  "4c5e4092009168b2af03249b0bcee9fb69f4a9a2103c181f647c5f011fe74543",
	6:  "37b81becdead832a92b65ea70d2a5ea47d6d69faf8ea624b75318ee3391755db",
	7:  "850a8705467f6d2bbd5fd557c632391b90a117a9dfa06fc5f3e257015323cba2",
	8:  "eba13826ae698061ae80adf88d5d38dd3c8a8167b1760abc3611c71eee7c424f",
	9:  "af49254d8470727ccb4ff025baba47f9903b01e778d133e34eb62e93bd377446",
	10: "3a9af73bd5b0dce3601d1da2142948ba6883683c95c58a2ab1af60533573f6b0",
	11: "ec881eec26950558198b181082f2eb3494e158b103679bb4f3046edc224871d1",
	12: "582866db90238960a94a9562edea638ffe3d24b8dced0cc8b9b178509c3173f5",
	13: "5035584e2fd6ac990396ab8880309b24c163e153ac9c44f786c2b41cd5fc073d",
	15: "508847ba130519264db5c2918a720a07d23dfafd110b02c4cf2e2ef21aaacbf3",
	16: "b7f67d02a4ee76608c9adc7371db2d85fe2e9f37cce7f3efbfdfbbcd89f21c0d",
	17: "6d49de9c7d90906fa493b7c116a5a4a8f4a9ed02408f7a934c73b338e934e2b9",
	18: "ef9eaa5c367e963f66e40e935d73b6a8a3b62eaa3c8051622844911af44b3c3c",
	19: "304fdcd588abf2d1e5c7a6b27cc849a5941aba44b19c267596ed26bc995ea244",
}

func TestCommittedMigrationsAreUnchanged(t *testing.T) {
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	files := map[int]Migration{}
	for _, m := range ms {
		files[m.Version] = m
		want, ok := pinnedChecksums[m.Version]
		switch {
		case !ok:
			t.Errorf("migration %s has no pinned checksum: once it is committed, add\n\t%d: %q,\nto pinnedChecksums in %s",
				fileName(m), m.Version, m.Checksum, "internal/store/migrate_pinned_test.go")
		case m.Checksum != want:
			t.Errorf("migration %s was edited after it was committed (sha256 %s, committed %s): "+
				"databases that applied it will refuse this binary. Restore the file as committed "+
				"(git log -p -- internal/store/migrations/%s) and put the change in a new migration",
				fileName(m), m.Checksum, want, fileName(m))
		}
	}
	for v := range pinnedChecksums {
		if _, ok := files[v]; !ok {
			t.Errorf("committed migration %04d is missing: databases that applied it will refuse this binary; restore the file", v)
		}
	}
}

func fileName(m Migration) string { return fmt.Sprintf("%04d_%s.sql", m.Version, m.Name) }

// The migrator accepts exactly the contents kept in testdata/superseded besides the current
// files: each accepted checksum is a file there, and each file there is accepted.
func TestSupersededChecksumsAreTheKeptFiles(t *testing.T) {
	kept, err := loadMigrations(os.DirFS("testdata"), "superseded")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, sums := range supersededChecksums {
		n += len(sums)
	}
	if n != len(kept) {
		t.Fatalf("%d superseded checksums, %d files in testdata/superseded", n, len(kept))
	}
	for _, m := range kept {
		if !slices.Contains(supersededChecksums[m.Version], m.Checksum) {
			t.Errorf("testdata/superseded/%s (sha256 %s) is not in supersededChecksums[%d]", fileName(m), m.Checksum, m.Version)
		}
		if m.Checksum == pinnedChecksums[m.Version] {
			t.Errorf("testdata/superseded/%s is the current file, not a superseded one", fileName(m))
		}
	}
}
