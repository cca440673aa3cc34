package controllers

import (
	"context"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/controller-runtime/pkg/client"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/schedule"
)

// The ranking Job asks for what ranking a million attempts needs and is bounded by a memory
// limit, with the Go GC told to work under it before the kernel's OOM killer does.
func TestRankingJobResources(t *testing.T) {
	for _, tt := range []struct {
		name       string
		resources  *corev1.ResourceRequirements
		cpu, mem   string
		limit      string
		gomemlimit string
	}{
		{"defaults", nil, "500m", "512Mi", "1Gi", "921MiB"},
		{"configured", &corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("2"), corev1.ResourceMemory: resource.MustParse("1Gi")},
			Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("2Gi")},
		}, "2", "1Gi", "2Gi", "1843MiB"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ns := newNamespace(t)
			newRound(t, ns, "dot-1", opens1, closes1, withoutWeb)
			h := newHarness(t, opens1)
			h.r.APIReader = env.Client
			h.r.RankJob = RankJobConfig{Image: "contest:test", DatabaseSecret: "contest-database", ServiceAccount: "contest-rank", Resources: tt.resources}
			h.reconcileAt(closes1.Add(schedule.SettleDelay), ns, "dot-1")

			var jobs batchv1.JobList
			if err := env.Client.List(context.Background(), &jobs, client.InNamespace(ns)); err != nil || len(jobs.Items) != 1 {
				t.Fatalf("ranking Jobs: %d (%v), want 1", len(jobs.Items), err)
			}
			c := jobs.Items[0].Spec.Template.Spec.Containers[0]
			req, lim := c.Resources.Requests, c.Resources.Limits
			if req.Cpu().String() != tt.cpu || req.Memory().String() != tt.mem || lim.Memory().String() != tt.limit {
				t.Errorf("rank container resources %+v, want requests cpu %s memory %s, memory limit %s", c.Resources, tt.cpu, tt.mem, tt.limit)
			}
			var gomem string
			for _, e := range c.Env {
				if e.Name == "GOMEMLIMIT" {
					gomem = e.Value
				}
			}
			if gomem != tt.gomemlimit {
				t.Errorf("GOMEMLIMIT %q, want %q (90%% of the memory limit)", gomem, tt.gomemlimit)
			}
		})
	}
}

func withoutWeb(r *contestv1alpha1.ContestRound) { r.Spec.Web = nil }
