// Package deploy_test checks the deployment files: the Kubernetes manifests
// parse and say what mesa depends on, the systemd units and the Dockerfile
// keep their promises. deploy/check.sh runs it with kubeconform and
// systemd-analyze.
package deploy_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// docs reads every YAML document of a manifest file.
func docs(t *testing.T, name string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("kubernetes", name))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out []map[string]any
	for {
		var d map[string]any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d != nil {
			out = append(out, d)
		}
	}
}

// at walks a path of keys ("spec", "template", ...) and list indexes (0).
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %v: %T is not a map", path, v)
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("at %v: not a list with %d items", path, k+1)
			}
			v = l[k]
		}
	}
	return v
}

// checkPod checks a pod template: non-root, read-only, no privilege escalation.
func checkPod(t *testing.T, name string, pod any) {
	t.Helper()
	if at(t, pod, "spec", "securityContext", "runAsNonRoot") != true {
		t.Errorf("%s: runAsNonRoot is not true", name)
	}
	c := at(t, pod, "spec", "containers", 0)
	if at(t, c, "securityContext", "allowPrivilegeEscalation") != false || at(t, c, "securityContext", "readOnlyRootFilesystem") != true {
		t.Errorf("%s: container security context too loose", name)
	}
	if at(t, c, "resources", "limits", "memory") == nil {
		t.Errorf("%s: no memory limit", name)
	}
}

func TestCronJobs(t *testing.T) {
	ds := docs(t, "cronjob.yaml")
	if len(ds) != 2 {
		t.Fatalf("%d documents, want the sync and reconcile CronJobs", len(ds))
	}
	want := map[string][2]string{"mesa-sync": {"*/5 6-20 * * *", "sync"}, "mesa-reconcile": {"30 2 * * *", "reconcile"}}
	for _, d := range ds {
		name := at(t, d, "metadata", "name").(string)
		if d["kind"] != "CronJob" || d["apiVersion"] != "batch/v1" {
			t.Errorf("%s: %v %v", name, d["apiVersion"], d["kind"])
		}
		if at(t, d, "spec", "concurrencyPolicy") != "Forbid" {
			t.Errorf("%s: concurrencyPolicy is not Forbid", name)
		}
		if at(t, d, "spec", "timeZone") != "America/Bogota" || at(t, d, "spec", "schedule") != want[name][0] {
			t.Errorf("%s: schedule %v in %v", name, at(t, d, "spec", "schedule"), at(t, d, "spec", "timeZone"))
		}
		pod := at(t, d, "spec", "jobTemplate", "spec", "template")
		checkPod(t, name, pod)
		if args := at(t, pod, "spec", "containers", 0, "args", 0); args != want[name][1] {
			t.Errorf("%s runs %v", name, args)
		}
	}
}

func TestDeployment(t *testing.T) {
	d := docs(t, "deployment.yaml")[0]
	if d["kind"] != "Deployment" || at(t, d, "spec", "replicas") != 1 || at(t, d, "spec", "strategy", "type") != "Recreate" {
		t.Errorf("want one replica, recreated (never two daemons): %v", d["spec"])
	}
	pod := at(t, d, "spec", "template")
	checkPod(t, "mesa", pod)
	c := at(t, pod, "spec", "containers", 0)
	if at(t, c, "args", 0) != "run" {
		t.Errorf("container runs %v", at(t, c, "args"))
	}
	for _, probe := range []string{"readinessProbe", "livenessProbe"} {
		if at(t, c, probe, "httpGet", "path") != "/healthz" {
			t.Errorf("%s is not on /healthz", probe)
		}
	}
	// The grace period must outlast server.shutdown_grace (25 s by default).
	if g, ok := at(t, pod, "spec", "terminationGracePeriodSeconds").(int); !ok || g <= 25 {
		t.Errorf("terminationGracePeriodSeconds %v, want more than 25", g)
	}
	cm := docs(t, "configmap.yaml")[0]
	var cfg map[string]any
	if err := yaml.Unmarshal([]byte(at(t, cm, "data", "config.yaml").(string)), &cfg); err != nil {
		t.Fatalf("configmap config.yaml: %v", err)
	}
	if at(t, cfg, "backend") != "google" || at(t, cfg, "log", "format") != "json" {
		t.Errorf("configmap config: %v", cfg)
	}
}

func TestSystemdAndDockerfile(t *testing.T) {
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for file, wants := range map[string][]string{
		"systemd/mesa.service":         {"ExecStart=/usr/local/bin/mesa --config /etc/mesa/config.yaml run", "User=mesa", "KillSignal=SIGTERM", "NoNewPrivileges=yes"},
		"systemd/mesa-sync.service":    {"Type=oneshot", " sync"},
		"systemd/mesa-sync.timer":      {"OnCalendar=*-*-* 06..20:00/5:00 America/Bogota", "Unit=mesa-sync.service"},
		"systemd/mesa-reconcile.timer": {"OnCalendar=*-*-* 02:30:00 America/Bogota"},
		"Dockerfile":                   {"CGO_ENABLED=0", "distroless/static", ":nonroot", "USER nonroot"},
		"cloudrun/deploy.sh":           {"--max-retries 0", "--time-zone America/Bogota", "--tasks 1 --parallelism 1"},
	} {
		s := read(file)
		for _, w := range wants {
			if !strings.Contains(s, w) {
				t.Errorf("%s lacks %q", file, w)
			}
		}
	}
}
