package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"

	"github.com/gwf-project/gwf/server"
)

// getEncoded fetches path with the Accept-Encoding given ("" sends none; Go's
// client then asks for gzip itself and undoes it, so the test sets the
// header and reads the raw body).
func getEncoded(t *testing.T, url, enc string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", enc)
	tr := &http.Transport{DisableCompression: true}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// The page is gzipped for a client that accepts gzip, and decompresses to
// the bytes an identity client gets; a client refusing gzip (q=0) or not
// asking gets them plain; every answer says it varies by encoding.
func TestCompressedResponses(t *testing.T) {
	ts := newServer(t, server.Config{})
	plainResp, plain := getEncoded(t, ts.URL+"/", "identity")
	if plainResp.Header.Get("Content-Encoding") != "" || len(plain) < 1024 {
		t.Fatalf("identity: encoding %q, %d bytes; want plain, over 1 KB", plainResp.Header.Get("Content-Encoding"), len(plain))
	}
	resp, body := getEncoded(t, ts.URL+"/", "br, gzip;q=0.8")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip accepted: Content-Encoding %q, want gzip", resp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, plain) {
		t.Errorf("gzipped page decompresses to %d bytes, plain is %d, and they differ", len(got), len(plain))
	}
	if len(body) >= len(plain) {
		t.Errorf("gzipped %d bytes, plain %d: not smaller", len(body), len(plain))
	}
	for _, h := range []*http.Response{plainResp, resp} {
		if h.Header.Get("Vary") == "" {
			t.Errorf("no Vary header")
		}
	}
	if r, _ := getEncoded(t, ts.URL+"/", "gzip;q=0"); r.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0: Content-Encoding %q, want none", r.Header.Get("Content-Encoding"))
	}
	// A small JSON answer is not worth compressing.
	if r, b := getEncoded(t, ts.URL+"/api/runs", "gzip"); r.Header.Get("Content-Encoding") != "" && len(b) < 1024 {
		t.Errorf("small JSON (%d bytes) gzipped", len(b))
	}
}
