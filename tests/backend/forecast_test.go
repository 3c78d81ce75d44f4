package backend

// Forecast and capacity through QueryData, against `headroom capacity --json` on the same Prometheus (one engine
// behind both) and against the demand series' own formula (tests/kit/backendQueryData.ts).

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

const h100 = "NVIDIA H100 80GB HBM3"

// demandAt is test_gpu_demand's formula: 30 GPUs on average, 40 at the day's peak, 20 at its trough.
func demandAt(t int64) float64 {
	return 30 + 10*math.Sin(2*math.Pi*float64(t%86400)/86400)
}

// The forecast of test_gpu_demand 48 hours ahead with 38 GPUs, as a panel asks for it; the settings the data source
// and the command line default differently (cold start, demand level) are given on both sides.
const forecastModel = `"target": "expr", "expr": "test_gpu_demand", "horizonHours": "48", "model": "auto"`
const capacityModel = `{"queryType": "capacity", ` + forecastModel + `, "capacity": "38", "priceGpuModel": "` + h100 +
	`", "coldStartHours": "1", "demandLevel": "95", "targetUtilisationPercent": "80"}`

// capacityJSON is the part of `headroom capacity --json` compared here (Go's JSON matches keys in any case).
type capacityJSON struct {
	Forecast struct {
		Model             string
		TimestampsSeconds []int64
		Mean              []float64
		Intervals         map[string]struct{ Lower, Upper []float64 }
	}
	Plan struct {
		Exhaustion struct {
			MeanCrossingSeconds    *int64
			CrossingSecondsByLevel map[string]*int64
			ProbabilityExceeding   []float64
		}
		Gpus struct {
			GpusNeeded []float64
			Schedule   []struct {
				Action                          string
				StartAtSeconds, NeededAtSeconds int64
				FromGpus, ToGpus                float64
			}
		}
		Mix struct {
			ByModel []struct {
				GpuModel                                                                  string
				ReservedGpus, ExpectedCostPerHour, CostAllOnDemandPerHour, SavingsPerHour float64
				OnDemandGpuHours                                                          float64
				Price                                                                     struct{ OnDemandPerGpuHour float64 }
			}
		}
	}
}

var (
	capacityOnce      sync.Once
	capacityReference capacityJSON
	capacityFailure   error
)

// commandLineCapacity is `headroom capacity --json` for capacityModel, run once for the tests that need it.
func commandLineCapacity(t *testing.T) capacityJSON {
	t.Helper()
	capacityOnce.Do(func() {
		capacityFailure = runHeadroom(&capacityReference, "capacity", "--prometheus", prometheusURL, "--expr",
			"test_gpu_demand", "--horizon-hours", "48", "--end", strconv.FormatInt(fleetEnd(), 10), "--capacity", "38",
			"--price-gpu-model", h100, "--cold-start-minutes", "60", "--level", "95", "--target-utilisation", "0.8",
			"--json")
	})
	if capacityFailure != nil {
		t.Fatal(capacityFailure)
	}
	return capacityReference
}

func TestQueryDataForecastAndCapacity(t *testing.T) {
	p := startPlugin(t)
	answers := ask(t, p, prometheusURL,
		query("F", "forecast", `{"queryType": "forecast", `+forecastModel+`}`),
		query("C", "capacity", capacityModel),
	)
	cli := commandLineCapacity(t)

	forecast := answered(t, "F", answers["F"])
	if got := frameNames(forecast); got != "History,Forecast,Backtest" {
		t.Fatalf("forecast frames %s", got)
	}
	capacity := answered(t, "C", answers["C"])
	if got := frameNames(capacity); got != "History,Forecast,Backtest,GPUs needed,Scaling schedule,Cost mix,Exhaustion" {
		t.Fatalf("capacity frames %s", got)
	}

	for refID, frames := range map[string][]*data.Frame{"F": forecast, "C": capacity} {
		// History: the ten days of hourly demand in the 28 days before the end, each value the formula's.
		history := named(t, frames, "History")
		times, demand := seconds(t, history, "Time"), values(t, history, "Value")
		held := 0
		for i, value := range demand {
			if value == nil {
				continue
			}
			held++
			if !same(*value, demandAt(*times[i])) {
				t.Fatalf("%s: History at %d = %v, want %v", refID, *times[i], *value, demandAt(*times[i]))
			}
		}
		if held != 240 || *times[len(times)-1] != fleetEnd() {
			t.Fatalf("%s: History holds %d hours ending %d, want 240 ending %d", refID, held, *times[len(times)-1], fleetEnd())
		}

		// Forecast: the command line's hours, mean and bounds; the mean follows the daily rhythm it learnt.
		predicted := named(t, frames, "Forecast")
		hours := seconds(t, predicted, "Time")
		if len(hours) != 48 || len(cli.Forecast.TimestampsSeconds) != 48 {
			t.Fatalf("%s: %d forecast hours, command line %d, want 48", refID, len(hours), len(cli.Forecast.TimestampsSeconds))
		}
		for i, at := range hours {
			if *at != cli.Forecast.TimestampsSeconds[i] || *at != fleetEnd()+int64(i+1)*hour {
				t.Fatalf("%s: forecast hour %d at %d, command line %d", refID, i, *at, cli.Forecast.TimestampsSeconds[i])
			}
		}
		mean := numbers(t, predicted, "Mean")
		sameNumbers(t, refID+" Mean", mean, cli.Forecast.Mean)
		for _, level := range []string{"80", "95"} {
			sameNumbers(t, refID+" Lower "+level, numbers(t, predicted, "Lower "+level), cli.Forecast.Intervals[level].Lower)
			sameNumbers(t, refID+" Upper "+level, numbers(t, predicted, "Upper "+level), cli.Forecast.Intervals[level].Upper)
		}
		for i, value := range mean {
			if math.Abs(value-demandAt(*hours[i])) > 0.5 {
				t.Fatalf("%s: Mean at %d = %v, the daily rhythm says %v", refID, *hours[i], value, demandAt(*hours[i]))
			}
		}
		// Every model the backend has ran (none skipped), augurs' MSTL (WebAssembly) included, also inside the
		// single executable.
		if skipped, ok := customMeta(t, predicted)["skipped"].([]any); !ok || len(skipped) != 0 {
			t.Fatalf("%s: skipped models %v", refID, customMeta(t, predicted)["skipped"])
		}
		backtested := texts(t, named(t, frames, "Backtest"), "Model")
		if !strings.Contains(strings.Join(backtested, ","), ",mstl,") {
			t.Fatalf("%s: backtest of %v, no mstl", refID, backtested)
		}
		if model := customMeta(t, predicted)["model"]; model != cli.Forecast.Model {
			t.Fatalf("%s: model %v, command line %q", refID, model, cli.Forecast.Model)
		}
	}

	// GPUs needed: the command line's, and by the design's formula ceil(upper 95 % / (1 GPU per GPU × 80 %)).
	upper95 := numbers(t, named(t, capacity, "Forecast"), "Upper 95")
	needed := numbers(t, named(t, capacity, "GPUs needed"), "GPUs needed")
	sameNumbers(t, "GPUs needed", needed, cli.Plan.Gpus.GpusNeeded)
	for i, gpus := range needed {
		if gpus != math.Ceil(upper95[i]/0.8) {
			t.Fatalf("GPUs needed[%d] = %v, want ceil(%v / 0.8)", i, gpus, upper95[i])
		}
	}

	schedule := named(t, capacity, "Scaling schedule")
	actions, starts, due := texts(t, schedule, "Action"), seconds(t, schedule, "Start scaling at"), seconds(t, schedule, "Needed at")
	from, to := numbers(t, schedule, "From"), numbers(t, schedule, "To")
	if len(actions) != len(cli.Plan.Gpus.Schedule) || len(actions) == 0 {
		t.Fatalf("schedule: %d steps, command line %d", len(actions), len(cli.Plan.Gpus.Schedule))
	}
	for i, step := range cli.Plan.Gpus.Schedule {
		if actions[i] != step.Action || *starts[i] != step.StartAtSeconds || *due[i] != step.NeededAtSeconds ||
			from[i] != step.FromGpus || to[i] != step.ToGpus {
			t.Fatalf("schedule[%d]: %s %d %d %v→%v, command line %+v", i, actions[i], *starts[i], *due[i], from[i], to[i], step)
		}
		// A scale-out starts one cold-start lead (1 h) before the hour that needs it.
		if step.Action == "scale-out" && *due[i]-*starts[i] != hour {
			t.Fatalf("schedule[%d]: scale-out starts %d s before it is needed, want 3600", i, *due[i]-*starts[i])
		}
	}

	mix := named(t, capacity, "Cost mix")
	if models := texts(t, mix, "GPU model"); len(models) != 1 || models[0] != h100 || len(cli.Plan.Mix.ByModel) != 1 {
		t.Fatalf("cost mix rows %v", models)
	}
	want := cli.Plan.Mix.ByModel[0]
	for name, value := range map[string]float64{
		"Reserved GPUs": want.ReservedGpus, "Expected cost / h": want.ExpectedCostPerHour,
		"All on-demand / h": want.CostAllOnDemandPerHour, "Savings / h": want.SavingsPerHour,
		"On-demand GPU-hours": want.OnDemandGpuHours, "On-demand / GPU-h": want.Price.OnDemandPerGpuHour,
	} {
		sameNumbers(t, "Cost mix "+name, numbers(t, mix, name), []float64{value})
	}
	// By hand: all on-demand costs the mean of the hourly GPUs needed at the on-demand price, and the savings are
	// what the mix saves on that.
	sum := 0.0
	for _, gpus := range needed {
		sum += gpus
	}
	price := numbers(t, mix, "On-demand / GPU-h")[0]
	allOnDemand, expected := numbers(t, mix, "All on-demand / h")[0], numbers(t, mix, "Expected cost / h")[0]
	if !same(allOnDemand, sum/float64(len(needed))*price) || !same(numbers(t, mix, "Savings / h")[0], allOnDemand-expected) {
		t.Fatalf("cost mix: all on-demand %v, expected %v, for a mean of %v GPUs at %v", allOnDemand, expected, sum/48, price)
	}

	exhaustion := named(t, capacity, "Exhaustion")
	labels, crossings := texts(t, exhaustion, "Forecast"), seconds(t, exhaustion, "Exceeds capacity at")
	wantCrossings := []*int64{cli.Plan.Exhaustion.MeanCrossingSeconds, cli.Plan.Exhaustion.CrossingSecondsByLevel["80"], cli.Plan.Exhaustion.CrossingSecondsByLevel["95"]}
	if len(labels) != 3 || labels[0] != "Mean forecast" || labels[1] != "Upper 80 %" || labels[2] != "Upper 95 %" {
		t.Fatalf("exhaustion rows %v", labels)
	}
	for i, at := range crossings {
		// The daily peak (40 GPUs) passes 38 within a day, so each forecast crosses within the horizon.
		if at == nil || wantCrossings[i] == nil || *at != *wantCrossings[i] || *at > fleetEnd()+24*hour {
			t.Fatalf("%s exceeds 38 GPUs at %v, command line %v", labels[i], show64(at), show64(wantCrossings[i]))
		}
	}
}

func show64(v *int64) string {
	if v == nil {
		return "null"
	}
	return strconv.FormatInt(*v, 10)
}
