package backend

// Helpers shared by the QueryData tests: one call as Grafana makes it, the answer's frames decoded by the SDK's Arrow
// reader, their columns as Go values, and the `headroom` command line (the same engine) as the reference.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

const hour = 3600

// fleetEnd is the end of every query's range: the end of the tiny fleet's hour, where the demand series ends too.
func fleetEnd() int64 { return fleetStart + fleetSpanSeconds }

// query is one panel query over the fleet's hour; Grafana copies the model's queryType to the DataQuery as well.
func query(refID, queryType, model string) *pluginv2.DataQuery {
	q := inventoryQuery(refID, model)
	q.QueryType = queryType
	return q
}

// ask sends one QueryData call with the data source pointing at url.
func ask(t *testing.T, p *plugin, url string, queries ...*pluginv2.DataQuery) map[string]*pluginv2.DataResponse {
	t.Helper()
	answer, err := p.data.QueryData(context.Background(), &pluginv2.QueryDataRequest{
		PluginContext: pluginContext(url),
		Queries:       queries,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(answer.Responses) != len(queries) {
		t.Fatalf("%d answers to %d queries", len(answer.Responses), len(queries))
	}
	return answer.Responses
}

// answered decodes a successful answer's frames with the SDK, as Grafana does, and checks each names its query.
func answered(t *testing.T, refID string, response *pluginv2.DataResponse) []*data.Frame {
	t.Helper()
	if response == nil {
		t.Fatalf("%s: no answer", refID)
	}
	if response.Error != "" || (response.Status != 0 && response.Status != 200) {
		t.Fatalf("%s: status %d, error %q", refID, response.Status, response.Error)
	}
	frames, err := data.UnmarshalArrowFrames(response.Frames)
	if err != nil {
		t.Fatalf("%s: decoding the frames with the SDK: %v", refID, err)
	}
	for _, frame := range frames {
		if frame.RefID != refID {
			t.Fatalf("%s: frame %q has refId %q", refID, frame.Name, frame.RefID)
		}
	}
	return frames
}

// frameNames lists the frames' names in order.
func frameNames(frames []*data.Frame) string {
	names := make([]string, len(frames))
	for i, frame := range frames {
		names[i] = frame.Name
	}
	return strings.Join(names, ",")
}

func named(t *testing.T, frames []*data.Frame, name string) *data.Frame {
	t.Helper()
	for _, frame := range frames {
		if frame.Name == name {
			return frame
		}
	}
	t.Fatalf("no frame %q in %s", name, frameNames(frames))
	return nil
}

func field(t *testing.T, frame *data.Frame, name string) *data.Field {
	t.Helper()
	f, index := frame.FieldByName(name)
	if index < 0 {
		t.Fatalf("frame %q has no field %q", frame.Name, name)
	}
	return f
}

// seconds reads a time field as unix seconds, nil where it has no value.
func seconds(t *testing.T, frame *data.Frame, name string) []*int64 {
	t.Helper()
	f := field(t, frame, name)
	out := make([]*int64, f.Len())
	for i := range out {
		switch v := f.At(i).(type) {
		case time.Time:
			s := v.Unix()
			out[i] = &s
		case *time.Time:
			if v != nil {
				s := v.Unix()
				out[i] = &s
			}
		default:
			t.Fatalf("%s[%d] is %T", name, i, v)
		}
	}
	return out
}

func texts(t *testing.T, frame *data.Frame, name string) []string {
	t.Helper()
	f := field(t, frame, name)
	out := make([]string, f.Len())
	for i := range out {
		switch v := f.At(i).(type) {
		case string:
			out[i] = v
		case *string:
			if v == nil {
				t.Fatalf("%s[%d] is null", name, i)
			}
			out[i] = *v
		default:
			t.Fatalf("%s[%d] is %T", name, i, v)
		}
	}
	return out
}

// numbers reads a number field that has a value in every row.
func numbers(t *testing.T, frame *data.Frame, name string) []float64 {
	t.Helper()
	out := []float64{}
	for i, v := range values(t, frame, name) {
		if v == nil {
			t.Fatalf("%s[%d] is null", name, i)
		}
		out = append(out, *v)
	}
	return out
}

// same is equality up to the last bits: Prometheus sums series in no fixed order.
func same(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

func sameNumbers(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range want {
		if !same(got[i], want[i]) {
			t.Fatalf("%s[%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}

// headroom runs the command line on the repository's source and decodes its --json output into out.
func headroom(t *testing.T, out any, args ...string) {
	t.Helper()
	if err := runHeadroom(out, args...); err != nil {
		t.Fatal(err)
	}
}

func runHeadroom(out any, args ...string) error {
	cli := exec.Command("node", append([]string{"--import", "tsx", "src/cli/main.ts"}, args...)...)
	cli.Dir = repoRoot
	var stderr strings.Builder
	cli.Stderr = &stderr
	text, err := cli.Output()
	if err != nil {
		return fmt.Errorf("headroom %s: %w\n%s", strings.Join(args, " "), err, stderr.String())
	}
	if err := json.Unmarshal(text, out); err != nil {
		return fmt.Errorf("headroom %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

// customMeta is a frame's meta.custom as the SDK decodes it (JSON into an interface value).
func customMeta(t *testing.T, frame *data.Frame) map[string]any {
	t.Helper()
	if frame.Meta == nil {
		t.Fatalf("frame %q has no meta", frame.Name)
	}
	custom, ok := frame.Meta.Custom.(map[string]any)
	if !ok {
		t.Fatalf("frame %q: meta.custom is %T", frame.Name, frame.Meta.Custom)
	}
	return custom
}
