// Package backend drives Headroom's data-source backend the way Grafana does: hashicorp/go-plugin's client with
// Grafana's handshake (grafana-plugin-sdk-go backend/grpcplugin), the SDK's pluginv2 client stubs, and the SDK's
// Arrow reader for the frames, against a real Prometheus holding the integration kit's tiny fleet (with the lab
// namespace and the demand series of tests/kit/backendQueryData.ts) and a second one holding its inference services.
//
// Run from the repository root: npm run test:backend, which builds the single executable for this machine
// (scripts/buildBackend.ts) and runs `go test` against it (scripts/testBackend.sh). `cd tests/backend && go test ./...`
// without HEADROOM_BACKEND starts the TypeScript source through launch.sh instead.
// Needs node (with the repository's node_modules), prometheus and promtool on PATH or in /usr/bin.
package backend

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// The tiny fleet's hour (tests/kit/tinyFleet.ts) starts on a whole hour three hours ago, so every step grid the
// backend may choose starts on its first sample.
var (
	repoRoot      string
	prometheusURL string
	// servingURL is the Prometheus of the inference services: a vLLM pod's GPU request there would join the
	// fleet's workload and change the fragmentation worked out by hand below.
	servingURL string
	fleetStart int64
)

const fleetSpanSeconds = 3600

func TestMain(m *testing.M) {
	os.Exit(runWithPrometheus(m))
}

func runWithPrometheus(m *testing.M) int {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	repoRoot = filepath.Join(wd, "..", "..")
	fleetStart = (time.Now().Unix()/3600 - 3) * 3600
	dir, err := os.MkdirTemp("", "headroom-backend-test-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	// A backend named but not there fails the run: CI must not pass by testing nothing.
	if path := os.Getenv("HEADROOM_BACKEND"); path != "" {
		if info, err := os.Stat(path); err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
			fmt.Fprintf(os.Stderr, "HEADROOM_BACKEND=%s is not an executable file (%v)\n", path, err)
			return 1
		}
	}
	for _, set := range []struct {
		name string
		url  *string
	}{{"fleet", &prometheusURL}, {"serving", &servingURL}} {
		stop, url, err := startPrometheus(filepath.Join(dir, set.name), set.name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "starting Prometheus with the %s data: %v\n", set.name, err)
			return 1
		}
		defer stop()
		*set.url = url
	}
	return m.Run()
}

func tool(name string) string {
	if path, err := exec.LookPath(name); err == nil {
		return path
	}
	return "/usr/bin/" + name
}

// startPrometheus backfills one data set of fleetData.ts with promtool and serves it on a free loopback port.
func startPrometheus(dir, set string) (func(), string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", err
	}
	openMetrics := filepath.Join(dir, set+".om")
	fleet := exec.Command("node", "--import", "tsx", "tests/backend/fleetData.ts", set, strconv.FormatInt(fleetStart, 10))
	fleet.Dir = repoRoot
	fleet.Stderr = os.Stderr
	text, err := fleet.Output()
	if err != nil {
		return nil, "", fmt.Errorf("writing the fleet: %w", err)
	}
	if err := os.WriteFile(openMetrics, text, 0o600); err != nil {
		return nil, "", err
	}
	dataDir := filepath.Join(dir, "data")
	if out, err := exec.Command(tool("promtool"), "tsdb", "create-blocks-from", "openmetrics", openMetrics, dataDir).CombinedOutput(); err != nil {
		return nil, "", fmt.Errorf("promtool: %w: %s", err, out)
	}
	config := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(config, []byte("global:\n  scrape_interval: 15s\n"), 0o600); err != nil {
		return nil, "", err
	}
	port, err := freePort()
	if err != nil {
		return nil, "", err
	}
	address := fmt.Sprintf("127.0.0.1:%d", port)
	// Retention longer than the demand's ten days of history, which the default (15 d) would also keep; explicit so
	// a longer history added later is not dropped silently.
	server := exec.Command(tool("prometheus"), "--config.file="+config, "--storage.tsdb.path="+dataDir,
		"--storage.tsdb.retention.time=400d", "--web.listen-address="+address)
	if err := server.Start(); err != nil {
		return nil, "", err
	}
	stop := func() { _ = server.Process.Kill(); _ = server.Wait() }
	url := "http://" + address
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if answer, err := http.Get(url + "/-/ready"); err == nil {
			answer.Body.Close()
			if answer.StatusCode == http.StatusOK {
				return stop, url, nil
			}
		}
	}
	stop()
	return nil, "", fmt.Errorf("prometheus at %s not ready within 30 s", url)
}

func freePort() (int, error) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer listener.Close()
	return listener.Addr().(*net.TCPAddr).Port, nil
}

// plugin is one backend process, started and dispensed as Grafana's plugin manager does.
type plugin struct {
	client      *goplugin.Client
	rpc         goplugin.ClientProtocol
	diagnostics grpcplugin.DiagnosticsClient
	data        grpcplugin.DataClient
	resource    grpcplugin.ResourceClient
}

// backendExecutable is what Grafana would start: HEADROOM_BACKEND, else the TypeScript source through launch.sh.
func backendExecutable() string {
	if path := os.Getenv("HEADROOM_BACKEND"); path != "" {
		return path
	}
	return filepath.Join(repoRoot, "tests", "backend", "launch.sh")
}

// grafanaClientConfig is go-plugin's client configured as Grafana's grpcplugin/client.go does it.
func grafanaClientConfig(logger hclog.Logger) *goplugin.ClientConfig {
	cmd := exec.Command(backendExecutable())
	// Grafana's client passes its own environment on; the cookie and the versions are go-plugin's to add.
	cmd.Env = os.Environ()
	return &goplugin.ClientConfig{
		Cmd: cmd,
		// The SDK keeps its HandshakeConfig unexported; these are its exported parts, as Grafana's client builds it.
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{
			grpcplugin.ProtocolVersion: {
				"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
				"data":        &grpcplugin.DataGRPCPlugin{},
				"resource":    &grpcplugin.ResourceGRPCPlugin{},
			},
		},
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		StartTimeout:     30 * time.Second,
		Logger:           logger,
	}
}

func startPlugin(t *testing.T) *plugin {
	t.Helper()
	// go-plugin logs every step at TRACE by default; warnings and the backend's own stderr are enough here.
	logger := hclog.New(&hclog.LoggerOptions{Name: "plugin", Level: hclog.Warn, Output: os.Stderr})
	client := goplugin.NewClient(grafanaClientConfig(logger))
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("starting the backend: %v", err)
	}
	dispense := func(name string) any {
		raw, err := rpc.Dispense(name)
		if err != nil {
			t.Fatalf("dispensing %s: %v", name, err)
		}
		return raw
	}
	return &plugin{
		client:      client,
		rpc:         rpc,
		diagnostics: dispense("diagnostics").(grpcplugin.DiagnosticsClient),
		data:        dispense("data").(grpcplugin.DataClient),
		resource:    dispense("resource").(grpcplugin.ResourceClient),
	}
}

const token = "s3cret-token-for-the-test"

// pluginContext is what Grafana sends for a Headroom data source pointing at url, with a bearer token.
func pluginContext(url string) *pluginv2.PluginContext {
	return &pluginv2.PluginContext{
		OrgId:    1,
		PluginId: "headroom-capacity-datasource",
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Uid:                     "headroom",
			Name:                    "Headroom",
			Url:                     url,
			JsonData:                []byte(`{"timeout": 10}`),
			DecryptedSecureJsonData: map[string]string{"bearerToken": token},
		},
	}
}

func TestHandshakeAndHealth(t *testing.T) {
	p := startPlugin(t)
	if got := p.client.NegotiatedVersion(); got != 2 {
		t.Fatalf("negotiated protocol %d, want 2", got)
	}
	// go-plugin's Ping is gRPC health for the service "plugin".
	if err := p.rpc.Ping(); err != nil {
		t.Fatalf("health: %v", err)
	}
}

func TestRefusedWithoutTheCookie(t *testing.T) {
	cmd := exec.Command(backendExecutable())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	err := cmd.Run()
	exit, ok := err.(*exec.ExitError)
	if !ok || exit.ExitCode() != 1 {
		t.Fatalf("want exit code 1, got %v", err)
	}
	if stdout.Len() != 0 || !strings.Contains(stderr.String(), "This binary is a plugin") {
		t.Fatalf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
}

// A backend that cannot start says why in Grafana's log at ERROR: go-plugin's client logs a stderr line at its
// hclog JSON level, any other line at DEBUG, which Grafana's default level (info) hides.
func TestStartupFailureLoggedAsError(t *testing.T) {
	var logged bytes.Buffer
	logger := hclog.New(&hclog.LoggerOptions{Name: "plugin", Level: hclog.Info, Output: &logged})
	config := grafanaClientConfig(logger)
	// go-plugin passes these to the plugin as PLUGIN_MIN_PORT and PLUGIN_MAX_PORT: an empty range.
	config.MinPort, config.MaxPort = 20001, 20000
	client := goplugin.NewClient(config)
	if _, err := client.Client(); err == nil {
		t.Fatal("the backend started with an empty port range")
	}
	client.Kill() // waits for the stderr reader to finish
	want := "PLUGIN_MIN_PORT value of 20001 is greater than PLUGIN_MAX_PORT value of 20000"
	for _, line := range strings.Split(logged.String(), "\n") {
		if strings.Contains(line, "[ERROR]") && strings.Contains(line, want) {
			return
		}
	}
	t.Fatalf("no ERROR line saying %q in:\n%s", want, logged.String())
}

func TestCheckHealth(t *testing.T) {
	p := startPlugin(t)
	ctx := context.Background()

	up, err := p.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pluginContext(prometheusURL)})
	if err != nil {
		t.Fatal(err)
	}
	if up.Status != pluginv2.CheckHealthResponse_OK || !strings.Contains(up.Message, prometheusURL) {
		t.Fatalf("Prometheus up: %v %q", up.Status, up.Message)
	}

	// Nothing listens on a port just freed.
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	downURL := fmt.Sprintf("http://127.0.0.1:%d", port)
	down, err := p.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pluginContext(downURL)})
	if err != nil {
		t.Fatal(err)
	}
	if down.Status != pluginv2.CheckHealthResponse_ERROR || !strings.Contains(down.Message, "Cannot reach Prometheus at "+downURL) {
		t.Fatalf("Prometheus down: %v %q", down.Status, down.Message)
	}
	if strings.Contains(down.Message, token) {
		t.Fatalf("the token leaked: %q", down.Message)
	}
}

// TestCheckHealthSaysWhy covers the other ways Prometheus fails a health check: refusing the credentials (behind a
// proxy that echoes them) and answering too slowly for the data source's timeout.
func TestCheckHealthSaysWhy(t *testing.T) {
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, "no entry with Authorization: %s", r.Header.Get("Authorization"))
	}))
	defer refusing.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()

	p := startPlugin(t)
	ctx := context.Background()
	unauthorized, err := p.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pluginContext(refusing.URL)})
	if err != nil {
		t.Fatal(err)
	}
	if unauthorized.Status != pluginv2.CheckHealthResponse_ERROR || !strings.Contains(unauthorized.Message, "401") || strings.Contains(unauthorized.Message, token) {
		t.Fatalf("401: %v %q", unauthorized.Status, unauthorized.Message)
	}

	slowContext := pluginContext(slow.URL)
	slowContext.DataSourceInstanceSettings.JsonData = []byte(`{"timeout": 1}`)
	began := time.Now()
	timedOut, err := p.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: slowContext})
	if err != nil {
		t.Fatal(err)
	}
	if timedOut.Status != pluginv2.CheckHealthResponse_ERROR || !strings.Contains(timedOut.Message, "did not answer within 1 s") {
		t.Fatalf("slow: %v %q", timedOut.Status, timedOut.Message)
	}
	if took := time.Since(began); took > 4*time.Second {
		t.Fatalf("the 1 s timeout took %v", took)
	}
}

func inventoryQuery(refID, model string) *pluginv2.DataQuery {
	return &pluginv2.DataQuery{
		RefId:      refID,
		IntervalMS: 60_000,
		TimeRange:  &pluginv2.TimeRange{FromEpochMS: fleetStart * 1000, ToEpochMS: (fleetStart + fleetSpanSeconds) * 1000},
		Json:       []byte(model),
		QueryType:  "inventory",
	}
}

func values(t *testing.T, frame *data.Frame, name string) []*float64 {
	t.Helper()
	field, index := frame.FieldByName(name)
	if index < 0 {
		t.Fatalf("frame %q has no field %q", frame.Name, name)
	}
	// A field with gaps is nullable ([]*float64), one without is not ([]float64).
	out := make([]*float64, field.Len())
	for i := range out {
		switch v := field.At(i).(type) {
		case *float64:
			out[i] = v
		case float64:
			out[i] = &v
		default:
			t.Fatalf("%s[%d] is %T", name, i, v)
		}
	}
	return out
}

func TestQueryDataInventory(t *testing.T) {
	p := startPlugin(t)
	answer, err := p.data.QueryData(context.Background(), &pluginv2.QueryDataRequest{
		PluginContext: pluginContext(prometheusURL),
		Queries: []*pluginv2.DataQuery{
			inventoryQuery("A", `{"queryType": "inventory", "inventoryView": "fleet"}`),
			inventoryQuery("N", `{"queryType": "inventory", "inventoryView": "nodes"}`),
			inventoryQuery("X", `{"queryType": "no-such-type"}`),
		},
	})
	if err != nil {
		t.Fatal(err)
	}

	fleet := answer.Responses["A"]
	if fleet.Error != "" {
		t.Fatalf("fleet: %s", fleet.Error)
	}
	frames, err := data.UnmarshalArrowFrames(fleet.Frames)
	if err != nil {
		t.Fatalf("decoding the frames with the SDK: %v", err)
	}
	if len(frames) != 1 || frames[0].Name != "Fleet" || frames[0].RefID != "A" {
		t.Fatalf("want one frame Fleet of A, got %d: %v", len(frames), frames)
	}
	frame := frames[0]
	var names []string
	for _, field := range frame.Fields {
		names = append(names, field.Name)
	}
	if strings.Join(names, ",") != "Time,Capacity,Allocated,Busy,Free" {
		t.Fatalf("fields %v", names)
	}
	if frame.Fields[0].Type() != data.FieldTypeTime {
		t.Fatalf("Time is %v", frame.Fields[0].Type())
	}
	if first := frame.Fields[0].At(0).(time.Time); first.Unix() != fleetStart {
		t.Fatalf("first time %v, want %d", first, fleetStart)
	}
	if frame.Meta == nil || frame.Meta.Type != data.FrameTypeTimeSeriesWide || !strings.Contains(frame.Meta.ExecutedQueryString, "kube_node_status_allocatable") {
		t.Fatalf("meta %+v", frame.Meta)
	}
	capacity, _ := frame.FieldByName("Capacity")
	if capacity.Config == nil || capacity.Config.Unit != "suffix: GPUs" || capacity.Config.DisplayName != "Capacity" {
		t.Fatalf("Capacity config %+v", capacity.Config)
	}
	// From the fleet's description: two nodes of four GPUs; pods Running hold 2 + 1 + 2 GPUs for the first half hour,
	// then train-2 (2 GPUs) has finished.
	caps, allocated := values(t, frame, "Capacity"), values(t, frame, "Allocated")
	last := len(caps) - 1
	for i, c := range caps {
		if c == nil || *c != 8 {
			t.Fatalf("Capacity[%d] = %v, want 8", i, c)
		}
	}
	if allocated[0] == nil || *allocated[0] != 5 || allocated[last] == nil || *allocated[last] != 3 {
		t.Fatalf("Allocated first %v last %v, want 5 and 3", allocated[0], allocated[last])
	}
	checkSameAsCommandLine(t, frame)

	nodes, err := data.UnmarshalArrowFrames(answer.Responses["N"].Frames)
	// node-a and node-b of the fleet, and node-e where DCGM reports the lab's GPUs and Kubernetes offers none.
	if err != nil || len(nodes) != 1 || nodes[0].Rows() != 3 {
		t.Fatalf("nodes: %v %v", err, nodes)
	}
	if names := texts(t, nodes[0], "Node"); strings.Join(names, ",") != "node-a,node-b,node-e" {
		t.Fatalf("nodes %v", names)
	}
	if capacity := values(t, nodes[0], "Capacity"); capacity[2] != nil {
		t.Fatalf("node-e capacity %s, want none", show(capacity[2]))
	}

	unknown := answer.Responses["X"]
	// One frame: the message's code (the "Error text" frame), for Headroom's pages to word it in the user's language.
	if unknown.Status != 400 || !strings.Contains(unknown.Error, `Unknown Headroom query type "no-such-type"`) || len(unknown.Frames) != 1 {
		t.Fatalf("unknown type: %d %q", unknown.Status, unknown.Error)
	}
}

func TestQueryDataFragmentation(t *testing.T) {
	p := startPlugin(t)
	query := inventoryQuery("F", `{"queryType": "fragmentation", "fragmentationView": "summary"}`)
	query.QueryType = "fragmentation"
	answer, err := p.data.QueryData(context.Background(), &pluginv2.QueryDataRequest{
		PluginContext: pluginContext(prometheusURL),
		Queries:       []*pluginv2.DataQuery{query},
	})
	if err != nil {
		t.Fatal(err)
	}
	response := answer.Responses["F"]
	if response.Error != "" {
		t.Fatalf("fragmentation: %s", response.Error)
	}
	frames, err := data.UnmarshalArrowFrames(response.Frames)
	if err != nil || len(frames) != 1 || frames[0].Name != "Fragmentation summary" {
		t.Fatalf("frames %v, %v", frames, err)
	}
	frame := frames[0]
	if at := frame.Fields[0].At(0).(time.Time).Unix(); at != fleetStart+fleetSpanSeconds {
		t.Fatalf("state at %d, want the end of the range %d", at, fleetStart+fleetSpanSeconds)
	}
	// By hand from the fleet's description, at the end of its hour: 8 GPUs, 3 held (train-1 2 on node-a, infer-1 1
	// on node-b; train-2 has finished), so 5 free, all fully free: 2 on node-a, 3 on node-b, the largest gang 3.
	// Workload learnt from the week's requests, one per pod: 2 GPUs (train-1, train-2: 1/2), 1 GPU (infer-1: 1/4),
	// 4 GPUs (pending-1: 1/4). The 2- and 1-GPU jobs fit on whole free GPUs (nothing fragmented for them); the
	// 4-GPU job fits on no node, so all 5 free GPUs are fragmented for it: FGD = 1/4 × 5 = 1.25, 25 % of free.
	want := map[string]float64{
		"Free GPUs": 5, "Fully free GPUs": 5, "Largest gang on one node": 3,
		"Fragmented GPUs": 1.25, "Fragmented share of free": 0.25,
	}
	for name, value := range want {
		got := values(t, frame, name)
		if len(got) != 1 || got[0] == nil || math.Abs(*got[0]-value) > 1e-9 {
			t.Fatalf("%s = %s, want %v", name, show(got[0]), value)
		}
	}
}

// checkSameAsCommandLine compares the fleet frame with `headroom inventory --json --series` on the same grid:
// one engine and one Prometheus client behind both.
func checkSameAsCommandLine(t *testing.T, frame *data.Frame) {
	t.Helper()
	times := frame.Fields[0]
	step := times.At(1).(time.Time).Unix() - times.At(0).(time.Time).Unix()
	cli := exec.Command("node", "--import", "tsx", "src/cli/main.ts", "inventory", "--prometheus", prometheusURL,
		"--start", strconv.FormatInt(fleetStart, 10), "--end", strconv.FormatInt(fleetStart+fleetSpanSeconds, 10),
		"--step", strconv.FormatInt(step, 10), "--json", "--series")
	cli.Dir = repoRoot
	cli.Stderr = os.Stderr
	out, err := cli.Output()
	if err != nil {
		t.Fatalf("headroom inventory: %v", err)
	}
	var result struct {
		TimestampsSeconds []int64 `json:"timestampsSeconds"`
		Fleet             map[string][]*float64
	}
	if err := json.Unmarshal(out, &result); err != nil {
		t.Fatal(err)
	}
	if len(result.TimestampsSeconds) != times.Len() {
		t.Fatalf("grid: command line %d steps, backend %d", len(result.TimestampsSeconds), times.Len())
	}
	for field, key := range map[string]string{"Capacity": "capacityGpus", "Allocated": "allocatedGpus", "Busy": "busyGpus", "Free": "freeGpus"} {
		got, want := values(t, frame, field), result.Fleet[key]
		for i := range want {
			// Prometheus sums series in no fixed order, so two runs of one query may differ in the last bit.
			if (got[i] == nil) != (want[i] == nil) || (got[i] != nil && math.Abs(*got[i]-*want[i]) > 1e-9*math.Max(1, math.Abs(*want[i]))) {
				t.Fatalf("%s[%d]: backend %s, command line %s", field, i, show(got[i]), show(want[i]))
			}
		}
	}
}

func TestCallResource(t *testing.T) {
	p := startPlugin(t)
	stream, err := p.resource.CallResource(context.Background(), &pluginv2.CallResourceRequest{
		PluginContext: pluginContext(prometheusURL),
		Path:          "api/v1/query",
		Method:        "GET",
		Url: "/api/datasources/uid/headroom/resources/api/v1/query?query=" +
			url.QueryEscape(`sum(kube_node_status_allocatable{resource="nvidia_com_gpu"})`) +
			"&time=" + strconv.FormatInt(fleetStart+60, 10),
	})
	if err != nil {
		t.Fatal(err)
	}
	answer, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Status string
		Data   struct {
			Result []struct{ Value []any }
		}
	}
	if err := json.Unmarshal(answer.Body, &body); err != nil || answer.Code != 200 {
		t.Fatalf("code %d, body %s", answer.Code, answer.Body)
	}
	// Two nodes of four GPUs.
	if body.Status != "success" || len(body.Data.Result) != 1 || body.Data.Result[0].Value[1] != "8" {
		t.Fatalf("answer %s", answer.Body)
	}

	outside, err := p.resource.CallResource(context.Background(), &pluginv2.CallResourceRequest{
		PluginContext: pluginContext(prometheusURL), Path: "api/v1/../../-/quit", Method: "GET", Url: "/x",
	})
	if err != nil {
		t.Fatal(err)
	}
	if refused, err := outside.Recv(); err != nil || refused.Code != 404 {
		t.Fatalf("path outside api/v1: %v %v", refused, err)
	}
}

func TestStoppedByGrafana(t *testing.T) {
	p := startPlugin(t)
	// Kill calls the controller's Shutdown, then waits up to 2 s for the process to end before killing it
	// (go-plugin client.go): ending well within that is a clean stop, not a kill.
	began := time.Now()
	p.client.Kill()
	if !p.client.Exited() {
		t.Fatal("the backend process is still running after Kill")
	}
	if took := time.Since(began); took > 1500*time.Millisecond {
		t.Fatalf("the backend took %v to stop: it was killed, not shut down", took)
	}
}

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

// TestCollectMetrics reads the backend's metrics as Grafana does and parses them with Prometheus' own text parser.
func TestCollectMetrics(t *testing.T) {
	p := startPlugin(t)
	ctx := context.Background()
	if _, err := p.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pluginContext(prometheusURL)}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.data.QueryData(ctx, &pluginv2.QueryDataRequest{
		PluginContext: pluginContext(prometheusURL),
		Queries:       []*pluginv2.DataQuery{inventoryQuery("A", `{"queryType": "inventory"}`), inventoryQuery("X", `{"queryType": "x"}`)},
	}); err != nil {
		t.Fatal(err)
	}
	answer, err := p.diagnostics.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(answer.Metrics.Prometheus))
	if err != nil {
		t.Fatalf("not Prometheus' text format: %v\n%s", err, answer.Metrics.Prometheus)
	}
	count := func(family string, labels map[string]string) float64 {
		for _, metric := range families[family].GetMetric() {
			matched := 0
			for _, pair := range metric.GetLabel() {
				if labels[pair.GetName()] == pair.GetValue() {
					matched++
				}
			}
			if matched == len(labels) {
				return metric.GetCounter().GetValue()
			}
		}
		return 0
	}
	if got := count("headroom_backend_calls_total", map[string]string{"method": "CheckHealth", "outcome": "ok"}); got != 1 {
		t.Fatalf("CheckHealth ok = %v, want 1", got)
	}
	if got := count("headroom_backend_calls_total", map[string]string{"method": "QueryData", "outcome": "error"}); got != 1 {
		t.Fatalf("QueryData error = %v, want 1 (one of its queries failed)", got)
	}
	if got := count("headroom_backend_queries_total", map[string]string{"query_type": "inventory", "status": "200"}); got != 1 {
		t.Fatalf("inventory 200 = %v, want 1", got)
	}
	if got := count("headroom_backend_queries_total", map[string]string{"query_type": "other", "status": "400"}); got != 1 {
		t.Fatalf("other 400 = %v, want 1", got)
	}
	if rss := families["process_resident_memory_bytes"].GetMetric()[0].GetGauge().GetValue(); rss < 1<<20 {
		t.Fatalf("resident memory %v bytes", rss)
	}
	// The recalibration's own families are there from the start: a data source call brings no app settings, so
	// nothing ran (last run 0, nothing updated, no error of any kind).
	for name, kind := range map[string]dto.MetricType{
		"headroom_recalibration_last_run_timestamp_seconds":     dto.MetricType_GAUGE,
		"headroom_recalibration_last_success_timestamp_seconds": dto.MetricType_GAUGE,
		"headroom_recalibration_rules_updated_total":            dto.MetricType_COUNTER,
		"headroom_recalibration_errors_total":                   dto.MetricType_COUNTER,
		"headroom_recalibration_runs_total":                     dto.MetricType_COUNTER,
	} {
		family, ok := families[name]
		if !ok || family.GetType() != kind {
			t.Fatalf("%s: missing or not a %v", name, kind)
		}
		for _, metric := range family.GetMetric() {
			if value := metric.GetGauge().GetValue() + metric.GetCounter().GetValue(); value != 0 {
				t.Fatalf("%s = %v before any run", name, value)
			}
		}
	}
	if got := len(families["headroom_recalibration_errors_total"].GetMetric()); got != 6 {
		t.Fatalf("errors by kind: %d series, want 6 (unauthorized, forbidden, conflict, unreachable, grafana, other)", got)
	}
}

// TestRestartAfterKill: Grafana starts a new process when the plugin dies (killed, or out of memory); the new one
// serves from scratch, with nothing of the old one needed.
func TestRestartAfterKill(t *testing.T) {
	first := startPlugin(t)
	reattach := first.client.ReattachConfig()
	if reattach == nil || reattach.Pid == 0 {
		t.Fatal("no process id for the running backend")
	}
	if err := syscall.Kill(reattach.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); !first.client.Exited(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the killed backend is still counted as running")
		}
	}
	second := startPlugin(t)
	answer, err := second.diagnostics.CheckHealth(context.Background(), &pluginv2.CheckHealthRequest{PluginContext: pluginContext(prometheusURL)})
	if err != nil || answer.Status != pluginv2.CheckHealthResponse_OK {
		t.Fatalf("after a restart: %v %v", answer, err)
	}
}
