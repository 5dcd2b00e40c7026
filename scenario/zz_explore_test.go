package scenario

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZExplore(t *testing.T) {
	s, err := Reference()
	fmt.Println("ref:", err, s != nil)
	cases := strings.Split(os.Getenv("ZZ"), "\n====\n")
	for _, c := range cases {
		_, err := Parse("o.yaml", []byte(c), func(p string) ([]byte, error) { return nil, os.ErrNotExist })
		fmt.Printf("---- %q\n%v\n", c, err)
	}
}
