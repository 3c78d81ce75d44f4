package backend

// Efficiency, alert and serving queries through QueryData, and bad input beside good queries in one request, each
// answer decoded by the SDK and checked against `headroom efficiency --json` or against values worked out by hand
// from the data (tests/kit/tinyFleet.ts and tests/kit/backendQueryData.ts).

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// efficiencyJSON is the part of `headroom efficiency --json` compared here.
type efficiencyJSON struct {
	IdlePods []string
	Pods     []struct {
		Pod, Namespace, GpuModel string
		MeanActivityPercent      float64
	}
}

func TestQueryDataEfficiency(t *testing.T) {
	p := startPlugin(t)
	views := []string{"waste", "mfu", "burn", "disagreements"}
	var queries []*pluginv2.DataQuery
	for _, view := range views {
		queries = append(queries, query(view, "efficiency", `{"queryType": "efficiency", "efficiencyView": "`+view+`"}`))
	}
	answers := ask(t, p, prometheusURL, queries...)
	var cli efficiencyJSON
	headroom(t, &cli, "efficiency", "--prometheus", prometheusURL, "--start", strconv.FormatInt(fleetStart, 10),
		"--end", strconv.FormatInt(fleetEnd(), 10), "--json")
	price := commandLineCapacity(t).Plan.Mix.ByModel[0].Price.OnDemandPerGpuHour

	waste := answered(t, "waste", answers["waste"])
	if got := frameNames(waste); got != "Waste summary,Waste" {
		t.Fatalf("waste frames %s", got)
	}
	// By hand. The range is the fleet's hour at the data source's step, one minute: 61 samples, each lasting a
	// minute but the last, at the range's end, which stands for no time inside it; so a pod held all hour holds its
	// GPUs 1 h. train-2 ran 30 minutes, and Prometheus carries its last sample 5 minutes on (the lookback delta): 36
	// samples, all inside the range. Busy is held × activity, idle the rest.
	type pod struct {
		namespace, model string
		gpus, minutes    float64
		activity         float64
	}
	want := map[string]pod{
		"train-1":  {"team-a", "NVIDIA A100-SXM4-80GB", 2, 60, 0.9},
		"infer-1":  {"team-a", h100, 1, 60, 0.5},
		"train-2":  {"team-b", h100, 2, 36, 0.8},
		"notebook": {"lab", h100, 2, 60, 0.01},
		"busy":     {"lab", h100, 1, 60, 0.9},
	}
	table := named(t, waste, "Waste")
	pods, namespaces, models := texts(t, table, "Pod"), texts(t, table, "Namespace"), texts(t, table, "GPU model")
	allocated, busy, idle := numbers(t, table, "Allocated GPU-h"), numbers(t, table, "Busy GPU-h"), numbers(t, table, "Idle GPU-h")
	activity, flags, wasted := numbers(t, table, "Mean activity"), texts(t, table, "Flags"), values(t, table, "Wasted $")
	if len(pods) != len(want) {
		t.Fatalf("waste rows %v, want %d pods", pods, len(want))
	}
	var total, totalBusy float64
	for i, name := range pods {
		w, ok := want[name]
		held := w.gpus * w.minutes / 60
		total += held
		totalBusy += held * w.activity
		if !ok || namespaces[i] != w.namespace || models[i] != w.model || !same(allocated[i], held) ||
			!same(busy[i], held*w.activity) || !same(idle[i], held*(1-w.activity)) || !same(activity[i], 100*w.activity) {
			t.Fatalf("pod %s/%s on %s: %v GPU-h, %v busy, %v idle, %v %%; want %+v", namespaces[i], name, models[i],
				allocated[i], busy[i], idle[i], activity[i], w)
		}
		// lab/notebook is the one idle pod (1 % activity all hour, under the 5 % floor); its idle GPU-hours cost the
		// H100's on-demand price.
		if (flags[i] == "idle") != (name == "notebook") {
			t.Fatalf("pod %s flagged %q", name, flags[i])
		}
		if name == "notebook" && (wasted[i] == nil || !same(*wasted[i], idle[i]*price)) {
			t.Fatalf("notebook wasted %s, want %v GPU-h × %v", show(wasted[i]), idle[i], price)
		}
	}
	summary := named(t, waste, "Waste summary")
	for name, value := range map[string]float64{
		"Allocated GPU-h": total, "Busy GPU-h": totalBusy, "Idle GPU-h": total - totalBusy, "Idle pods": 1,
	} {
		sameNumbers(t, "Waste summary "+name, numbers(t, summary, name), []float64{value})
	}

	// The command line reads the same hour at a finer step (15 s, so its GPU-hours differ by a sample's length);
	// what does not depend on the step is the same: the pods, their mean activity and which are idle.
	if len(cli.IdlePods) != 1 || cli.IdlePods[0] != "notebook" || len(cli.Pods) != len(want) {
		t.Fatalf("command line: idle pods %v, %d pods", cli.IdlePods, len(cli.Pods))
	}
	for _, p := range cli.Pods {
		w := want[p.Pod]
		if p.Namespace != w.namespace || p.GpuModel != w.model || !same(p.MeanActivityPercent, 100*w.activity) {
			t.Fatalf("command line pod %+v, want %+v", p, w)
		}
	}

	for view, names := range map[string]string{"mfu": "MFU by pod,MFU distribution", "burn": "Burn,Budget", "disagreements": "Disagreements"} {
		if got := frameNames(answered(t, view, answers[view])); got != names {
			t.Fatalf("%s frames %s, want %s", view, got, names)
		}
	}

	// MFU by hand: the fleet's tensor-pipe activity is half its activity, and with no SM clock series the estimate
	// is the tensor activity itself; the lab pods have no tensor series and no row.
	mfu := named(t, answered(t, "mfu", answers["mfu"]), "MFU by pod")
	tensor := map[string]float64{"train-1": 0.45, "train-2": 0.4, "infer-1": 0.25}
	mfuPods, estimates, active := texts(t, mfu, "Pod"), numbers(t, mfu, "MFU (estimate)"), numbers(t, mfu, "Tensor active")
	if len(mfuPods) != len(tensor) {
		t.Fatalf("MFU rows %v", mfuPods)
	}
	for i, name := range mfuPods {
		if want, ok := tensor[name]; !ok || !same(active[i], want) || !same(estimates[i], want) {
			t.Fatalf("MFU of %s: %v, tensor active %v", name, estimates[i], active[i])
		}
	}

	// Burn by hand: the month's only hour with GPUs held is the fleet's, 6 H100s and 2 A100s (train-1) at their
	// on-demand prices, the A100's read from train-1's row above. Unless the range ends as a month starts.
	budget := named(t, answered(t, "burn", answers["burn"]), "Budget")
	end := time.Unix(fleetEnd(), 0).UTC()
	if end.Day() != 1 || end.Hour() != 0 {
		a100 := 0.0
		for i, name := range pods {
			if name == "train-1" {
				a100 = *values(t, table, "Allocated $")[i] / allocated[i]
			}
		}
		hourCost := 6*price + 2*a100
		sameNumbers(t, "Month to date", numbers(t, budget, "Month to date"), []float64{hourCost})
		sameNumbers(t, "Burn rate", numbers(t, budget, "Burn rate"), []float64{hourCost})
	}

	// Disagreements by hand: DCGM reports node-e's three H100s, which Kubernetes does not offer.
	disagreements := named(t, answered(t, "disagreements", answers["disagreements"]), "Disagreements")
	kinds, nodes, details := texts(t, disagreements, "Kind"), texts(t, disagreements, "Node"), texts(t, disagreements, "Detail")
	if len(kinds) != 1 || kinds[0] != "allocatable-mismatch" || nodes[0] != "node-e" || details[0] != "Kubernetes offers 0 GPU(s); DCGM reports 3" {
		t.Fatalf("disagreements %v %v %v", kinds, nodes, details)
	}
}

// alertValues is an alert answer as Grafana's server-side expressions read it: one frame with no time field, one
// number field and string fields as labels, one series per row (the labels joined as name=value).
func alertValues(t *testing.T, refID string, response *pluginv2.DataResponse) map[string]*float64 {
	t.Helper()
	frames := answered(t, refID, response)
	if len(frames) != 1 {
		t.Fatalf("%s: %d frames, want 1", refID, len(frames))
	}
	frame := frames[0]
	var number *data.Field
	var labels []*data.Field
	for _, f := range frame.Fields {
		switch {
		case f.Type().Numeric():
			if number != nil {
				t.Fatalf("%s: two number fields", refID)
			}
			number = f
		case f.Type() == data.FieldTypeString || f.Type() == data.FieldTypeNullableString:
			labels = append(labels, f)
		default:
			t.Fatalf("%s: field %q of type %v", refID, f.Name, f.Type())
		}
	}
	if number == nil {
		t.Fatalf("%s: no number field", refID)
	}
	out := map[string]*float64{}
	for row := 0; row < frame.Rows(); row++ {
		var key []string
		for _, label := range labels {
			value, _ := label.ConcreteAt(row)
			key = append(key, label.Name+"="+value.(string))
		}
		value, ok := number.ConcreteAt(row)
		if ok {
			v := value.(float64)
			out[strings.Join(key, ",")] = &v
		} else {
			out[strings.Join(key, ",")] = nil
		}
	}
	return out
}

func TestQueryDataAlert(t *testing.T) {
	p := startPlugin(t)
	forecastOf38 := `"target": "expr", "expr": "test_gpu_demand", "capacity": "38"`
	answers := ask(t, p, prometheusURL,
		query("G", "alert", `{"queryType": "alert", "measure": "idleGpus", "namespace": "lab"}`),
		query("$", "alert", `{"queryType": "alert", "measure": "idleCostPerHour", "namespace": "lab"}`),
		query("L", "alert", `{"queryType": "alert", "measure": "largestGang"}`),
		query("S", "alert", `{"queryType": "alert", "measure": "fragmentedShare"}`),
		query("D", "alert", `{"queryType": "alert", "measure": "daysToExhaustion80", "horizonHours": "48", `+forecastOf38+`}`),
		query("P", "alert", `{"queryType": "alert", "measure": "exhaustionProbability", "withinDays": "2", `+forecastOf38+`}`),
	)
	cli := commandLineCapacity(t)
	price := cli.Plan.Mix.ByModel[0].Price.OnDemandPerGpuHour

	check := func(refID, series string, want float64) {
		t.Helper()
		got := alertValues(t, refID, answers[refID])
		if len(got) != 1 || got[series] == nil || !same(*got[series], want) {
			t.Fatalf("%s: %v, want {%s: %v}", refID, got, series, want)
		}
	}
	// By hand: lab/notebook holds 2 idle H100s (lab/busy is at 90 %), costing 2 × the H100's on-demand price an hour.
	check("G", "namespace=lab", 2)
	check("$", "namespace=lab", 2*price)
	// At the end of the hour train-2 has finished: 3 whole free GPUs on node-b, 2 on node-a; the fragmented share
	// is the summary's 25 % (TestQueryDataFragmentation).
	check("L", "", 3)
	check("S", "", 0.25)
	// The capacity plan's exhaustion, as `headroom capacity` prints it for the same 48 hours.
	crossing80 := cli.Plan.Exhaustion.CrossingSecondsByLevel["80"]
	if crossing80 == nil {
		t.Fatal("the command line's upper 80 % never exceeds 38 GPUs")
	}
	check("D", "target=expr", float64(*crossing80-fleetEnd())/86400)
	highest := 0.0
	for _, probability := range cli.Plan.Exhaustion.ProbabilityExceeding {
		highest = math.Max(highest, probability)
	}
	check("P", "target=expr", highest)
}

func TestQueryDataServing(t *testing.T) {
	p := startPlugin(t)
	answers := ask(t, p, servingURL,
		query("S", "serving", `{"queryType": "serving", "servingView": "services"}`),
		query("D", "serving", `{"queryType": "serving", "servingView": "deployed", "deployment": "inference/llama-70b", "nodePool": "gpu", "nodeGroup": "gpu-a"}`),
		query("T", "serving", `{"queryType": "serving", "servingView": "throughput"}`),
	)
	// By hand from the serving data: llama-70b's pod belongs to Deployment inference/llama-70b through its
	// ReplicaSet; mistral-7b's bare pod has no owner, which a warning names.
	services := named(t, answered(t, "S", answers["S"]), "Inference services")
	if got := strings.Join(append(append(texts(t, services, "Namespace"), texts(t, services, "Deployment")...), texts(t, services, "Models")...), ","); got != "inference,llama-70b,llama-70b" {
		t.Fatalf("services %s", got)
	}
	if notices := services.Meta.Notices; len(notices) != 1 || !strings.HasPrefix(notices[0].Text, "vLLM serves mistral-7b") {
		t.Fatalf("services notices %+v", notices)
	}

	// 3 replicas, KEDA's HPA 1 to 4, the NodePool's 24 GPUs, no cluster-autoscaler node group in the data.
	deployed := named(t, answered(t, "D", answers["D"]), "Deployed")
	now := values(t, deployed, "Now")
	want := []float64{3, 1, 4, 24}
	if len(now) != 6 || now[4] != nil || now[5] != nil {
		t.Fatalf("deployed %v", now)
	}
	for i, value := range want {
		if now[i] == nil || *now[i] != value {
			t.Fatalf("deployed %s = %s, want %v", texts(t, deployed, "Field")[i], show(now[i]), value)
		}
	}

	// 600 generated tokens/s on a pod of 2 GPUs for the whole hour: 300 tokens/s per GPU over 1 serving hour.
	throughput := named(t, answered(t, "T", answers["T"]), "Measured throughput")
	if models := texts(t, throughput, "Model"); len(models) != 1 || models[0] != "llama-70b" {
		t.Fatalf("throughput models %v", models)
	}
	sameNumbers(t, "Tokens/s per GPU", numbers(t, throughput, "Tokens/s per GPU"), []float64{300})
	sameNumbers(t, "Serving hours", numbers(t, throughput, "Serving hours"), []float64{1})
}

// TestQueryDataBadInput: a query Headroom cannot answer gets its own error answer (status 400, the reason in the
// answer, source plugin); the other queries of the same request still answer, and the process keeps serving.
func TestQueryDataBadInput(t *testing.T) {
	p := startPlugin(t)
	answers := ask(t, p, prometheusURL,
		query("A", "inventory", `{"queryType": "inventory", "inventoryView": "fleet"}`),
		query("X", "no-such-type", `{"queryType": "no-such-type"}`),
		query("H", "forecast", `{"queryType": "forecast", "target": "expr", "expr": "test_short_demand", "horizonHours": "6"}`),
		query("L", "alert", `{"queryType": "alert", "measure": "largestGang"}`),
	)
	for refID, reason := range map[string]string{
		"X": `Unknown Headroom query type "no-such-type"`,
		// Ten hourly samples in the 28 days before the end of the range.
		"H": "has 10 hours of data in the 28 days before the end of the range",
	} {
		bad := answers[refID]
		if bad.Status != 400 || !strings.Contains(bad.Error, reason) || bad.ErrorSource != "plugin" {
			t.Fatalf("%s: status %d, source %q, error %q; want 400 saying %q", refID, bad.Status,
				bad.ErrorSource, bad.Error, reason)
		}
		// An error Headroom words itself may carry a frame with no fields, holding the message's code for the
		// user's language (meta.custom.texts.errors); never data.
		frames, err := data.UnmarshalArrowFrames(bad.Frames)
		if err != nil {
			t.Fatalf("%s: frames beside the error: %v", refID, err)
		}
		for _, frame := range frames {
			if len(frame.Fields) != 0 {
				t.Fatalf("%s: a frame with %d fields beside the error", refID, len(frame.Fields))
			}
		}
	}
	if frames := answered(t, "A", answers["A"]); frameNames(frames) != "Fleet" {
		t.Fatalf("inventory beside the bad queries: %s", frameNames(frames))
	}
	if got := alertValues(t, "L", answers["L"])[""]; got == nil || *got != 3 {
		t.Fatalf("largest gang beside the bad queries: %s", show(got))
	}
	health, err := p.diagnostics.CheckHealth(context.Background(), &pluginv2.CheckHealthRequest{PluginContext: pluginContext(prometheusURL)})
	if err != nil || health.Status != pluginv2.CheckHealthResponse_OK || p.client.Exited() {
		t.Fatalf("after the bad queries: %v %v, exited %v", health, err, p.client.Exited())
	}
}
