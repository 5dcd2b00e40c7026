package deploy_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/gwf-project/gwf/internal/cli"
)

// manifest is the part of a Kubernetes object the recipes rely on.
type manifest struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		CompletionMode string           `yaml:"completionMode"`
		Completions    int              `yaml:"completions"`
		Parallelism    int              `yaml:"parallelism"`
		Replicas       int              `yaml:"replicas"`
		Selector       map[string]any   `yaml:"selector"`
		Ports          []map[string]any `yaml:"ports"`
		Template       struct {
			Metadata struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"metadata"`
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Name  string   `yaml:"name"`
					Image string   `yaml:"image"`
					Args  []string `yaml:"args"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

func manifests(t *testing.T, file string) []manifest {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []manifest
	for doc := range strings.SplitSeq(string(src), "\n---\n") {
		var m manifest
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if m.APIVersion == "" || m.Kind == "" || m.Metadata.Name == "" {
			t.Fatalf("%s: a document lacks apiVersion, kind or metadata.name", file)
		}
		out = append(out, m)
	}
	return out
}

const study = `base: reference
runs: 4
chunk_runs: 2
axes:
  - path: target.rate
    values: [0.5 GW/week, 1 GW/week]
`

// gwf runs the gwf command in-process.
func gwf(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(args, &out, &errb)
	return code, out.String() + errb.String()
}

// The Indexed Job's pods each run one shard taking I from
// JOB_COMPLETION_INDEX; its completions match the N of --shard /N; its
// command, run here with that environment, writes a partial.
func TestIndexedJob(t *testing.T) {
	ms := manifests(t, "kubernetes/sweep-indexed-job.yaml")
	if len(ms) != 1 || ms[0].Kind != "Job" || ms[0].APIVersion != "batch/v1" {
		t.Fatalf("want one batch/v1 Job, got %+v", ms)
	}
	j := ms[0]
	if j.Spec.CompletionMode != "Indexed" || j.Spec.Template.Spec.RestartPolicy != "Never" {
		t.Errorf("completionMode %q, restartPolicy %q: want Indexed, Never", j.Spec.CompletionMode, j.Spec.Template.Spec.RestartPolicy)
	}
	args := j.Spec.Template.Spec.Containers[0].Args
	joined := strings.Join(args, " ")
	m := regexp.MustCompile(`--shard /(\d+)`).FindStringSubmatch(joined)
	if m == nil {
		t.Fatalf("args %q: no --shard /N taking I from the environment", joined)
	}
	if n, _ := strconv.Atoi(m[1]); n != j.Spec.Completions {
		t.Errorf("--shard /%d but completions %d", n, j.Spec.Completions)
	}
	dir := t.TempDir()
	studyFile := filepath.Join(dir, "study.yaml")
	if err := os.WriteFile(studyFile, []byte(study), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	var run []string
	for _, a := range args {
		a = strings.ReplaceAll(a, "/study/study.yaml", studyFile)
		a = strings.ReplaceAll(a, "/results/$(JOB_COMPLETION_INDEX)", filepath.Join(dir, "results", "1"))
		run = append(run, a)
	}
	if code, out := gwf(t, run...); code != 0 {
		t.Fatalf("gwf %s: exit %d\n%s", strings.Join(run, " "), code, out)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "results", "1", "partial-00001-of-*.json"))
	if len(names) != 1 {
		t.Errorf("shard 1 wrote no partial (got %v)", names)
	}
}

// Workers pull from the NATS Service the same file defines, with flags
// gwf worker accepts.
func TestWorkers(t *testing.T) {
	var nats, workers *manifest
	ms := manifests(t, "kubernetes/workers.yaml")
	var service *manifest
	for i := range ms {
		switch ms[i].Kind {
		case "StatefulSet":
			nats = &ms[i]
		case "Deployment":
			workers = &ms[i]
		case "Service":
			service = &ms[i]
		}
	}
	if nats == nil || workers == nil || service == nil {
		t.Fatal("want a NATS StatefulSet, its Service and a worker Deployment")
	}
	if !strings.Contains(strings.Join(nats.Spec.Template.Spec.Containers[0].Args, " "), "--jetstream") {
		t.Error("the NATS server runs without JetStream")
	}
	args := workers.Spec.Template.Spec.Containers[0].Args
	if len(args) < 3 || args[0] != "worker" || args[1] != "--nats" {
		t.Fatalf("worker args %q: want worker --nats URL", args)
	}
	if want := "nats://" + service.Metadata.Name + ":4222"; args[2] != want {
		t.Errorf("workers dial %s, want the Service %s", args[2], want)
	}
	if code, out := gwf(t, append(args, "--help")...); code != 0 {
		t.Errorf("gwf %s --help: exit %d\n%s", strings.Join(args, " "), code, out)
	}
}

// The Slurm script runs shard SLURM_ARRAY_TASK_ID of N; its array covers 0
// to N-1 in the example; bash accepts it.
func TestSlurmScript(t *testing.T) {
	src, err := os.ReadFile("slurm/gwf-sweep.sbatch")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	if !strings.HasPrefix(s, "#!/bin/bash\n") {
		t.Error("no bash shebang")
	}
	if !regexp.MustCompile(`(?m)^#SBATCH --array=0-\d+$`).MatchString(s) {
		t.Error("no #SBATCH --array=0-N line")
	}
	if !strings.Contains(s, `--shard "/$N"`) || !strings.Contains(s, "SLURM_ARRAY_TASK_ID") {
		t.Error("the script does not run shard SLURM_ARRAY_TASK_ID of N")
	}
	if bash, err := exec.LookPath("bash"); err == nil {
		if out, err := exec.Command(bash, "-n", "slurm/gwf-sweep.sbatch").CombinedOutput(); err != nil {
			t.Errorf("bash -n: %v\n%s", err, out)
		}
	}
	// Run its command as task 1 of 2.
	dir := t.TempDir()
	studyFile := filepath.Join(dir, "study.yaml")
	if err := os.WriteFile(studyFile, []byte(study), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "1")
	out := filepath.Join(dir, "results", "1")
	if code, msg := gwf(t, "sweep", studyFile, "--shard", "/2", "--out", out, "--format", "json"); code != 0 {
		t.Fatalf("exit %d\n%s", code, msg)
	}
	if code, msg := gwf(t, "sweep", "merge", out); code != 1 || !strings.Contains(msg, "incomplete") {
		t.Errorf("merging half a study: exit %d, %s; want 1 and incomplete", code, msg)
	}
}
