package config

import (
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/funza-tic/mesa/internal/procedure"
)

// CheckFileKeys refuses a configuration file with a key Config does not
// have (a typo such as "profle" would otherwise leave the default in force
// with doctor saying OK), naming each unknown key and the nearest valid
// one. The keys allowed are read from Config's mapstructure tags, so a new
// setting needs no change here; map sections (forms, their questions) are
// checked against the forms and fields mesa knows.
func CheckFileKeys(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return err
	}
	var probs []string
	walkKeys(doc, reflect.TypeOf(Config{}), "", &probs)
	if len(probs) > 0 {
		sort.Strings(probs)
		return fmt.Errorf("%s: %s", file, strings.Join(probs, "; "))
	}
	return nil
}

func walkKeys(node any, t reflect.Type, path string, probs *[]string) {
	m, ok := node.(map[string]any)
	if !ok {
		return // a scalar or list where a section was expected: decoding reports it
	}
	switch t.Kind() {
	case reflect.Struct:
		if t == reflect.TypeOf(time.Duration(0)) {
			return
		}
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			if tag := t.Field(i).Tag.Get("mapstructure"); tag != "" && tag != "-" {
				fields[tag] = t.Field(i).Type
			}
		}
		for k, v := range m {
			ft, ok := fields[strings.ToLower(k)]
			if !ok {
				*probs = append(*probs, unknownKey(path, k, keysOf(fields)))
				continue
			}
			walkKeys(v, ft, path+strings.ToLower(k)+".", probs)
		}
	case reflect.Map:
		valid := mapKeys(path)
		for k, v := range m {
			if valid != nil && !valid[strings.ToLower(k)] {
				*probs = append(*probs, unknownKey(path, k, keysOf(valid)))
				continue
			}
			walkKeys(v, t.Elem(), path+strings.ToLower(k)+".", probs)
		}
	}
}

// mapKeys are the keys a map section may have: form names under forms,
// the form's fields under forms.X.questions; nil when any key goes.
func mapKeys(path string) map[string]bool {
	out := map[string]bool{}
	switch {
	case path == "forms.":
		for _, f := range procedure.Forms {
			out[string(f)] = true
		}
	case strings.HasPrefix(path, "forms.") && strings.HasSuffix(path, ".questions."):
		form := procedure.Form(strings.TrimSuffix(strings.TrimPrefix(path, "forms."), ".questions."))
		for f := range procedure.DefaultQuestions[form] {
			out[string(f)] = true
		}
	default:
		return nil
	}
	return out
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func unknownKey(path, key string, valid []string) string {
	msg := fmt.Sprintf("unknown key %q", path+key)
	if near := Nearest(strings.ToLower(key), valid); near != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", path+near)
	} else if len(valid) > 0 {
		msg += fmt.Sprintf(" (valid here: %s)", strings.Join(valid, ", "))
	}
	return msg
}

// Nearest is the valid key closest to s by edit distance, if it is close
// enough to be the likely intent (at most a third of its letters differ).
func Nearest(s string, valid []string) string {
	best, bestD := "", len(s)/3+2
	for _, v := range valid {
		if d := editDistance(s, v); d < bestD {
			best, bestD = v, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
