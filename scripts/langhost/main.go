// pulumi-language-python, as built by pulumi-relaytask.
//
// Why this exists: the official Python language host is published as its own Go module
// (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3), and the module proxy this
// project can reach refuses every version of it, while it serves the CLI (pkg/v3) and the SDK
// (sdk/v3) at the pinned release. This host implements the LanguageRuntime gRPC service on top of
// the SDK's own packages (toolchain resolution, RPC serving) at that same release, and runs
// programs through the `pulumi-language-python-exec` launcher that ships in the sdk/v3 module,
// exactly as the official host does. It covers what `pulumi up/preview/refresh/destroy` and the
// Automation API need: handshake, run, plugin info, about, dependencies.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// The launcher exits with this code after it has already shown the user an actionable error, so the
// engine must not print a second, generic one.
const exitAfterUserMessage = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
}

func main() {
	h := &host{engineAddress: engineAddressFromArgs(os.Args[1:])}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: could not start the RPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: RPC server stopped: %v\n", err)
		os.Exit(1)
	}
}

// engineAddressFromArgs returns the last positional argument: the engine passes its address last,
// possibly after logging flags (-v=N, --logtostderr, --tracing X) that this host does not need.
func engineAddressFromArgs(args []string) string {
	address := ""
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "-tracing" || arg == "--tracing" {
			i++ // skip the flag's value
			continue
		}
		if !strings.HasPrefix(arg, "-") {
			address = arg
		}
	}
	return address
}

func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.engineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// python resolves the interpreter from the project's runtime options (`virtualenv`, relative to the
// project root), falling back to PULUMI_PYTHON_CMD or python3 as the official host does.
func python(info *pulumirpc.ProgramInfo) (toolchain.Toolchain, error) {
	opts := info.GetOptions().AsMap()
	virtualenv, _ := opts["virtualenv"].(string)
	return toolchain.ResolveToolchain(toolchain.PythonOptions{
		Root:       info.GetRootDirectory(),
		ProgramDir: info.GetProgramDirectory(),
		Virtualenv: virtualenv,
		Toolchain:  toolchain.Pip,
	})
}

// launcher finds `pulumi-language-python-exec` beside this binary, or else on PATH.
func launcher() (string, error) {
	if self, err := os.Executable(); err == nil {
		if resolved, err := filepath.EvalSymlinks(self); err == nil {
			self = resolved
		}
		candidate := filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
	}
	path, err := exec.LookPath("pulumi-language-python-exec")
	if err != nil {
		return "", fmt.Errorf("could not find pulumi-language-python-exec beside %s or on PATH", os.Args[0])
	}
	return path, nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	if info == nil {
		info = &pulumirpc.ProgramInfo{RootDirectory: req.GetPwd(), ProgramDirectory: req.GetPwd(), EntryPoint: req.GetProgram()}
	}
	tc, err := python(info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	exe, err := launcher()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args := []string{"-u", exe,
		"--monitor", req.GetMonitorAddress(),
		"--engine", h.engine(),
		"--project", req.GetProject(),
		"--stack", req.GetStack(),
		"--pwd", info.GetProgramDirectory(),
		"--dry_run", fmt.Sprintf("%v", req.GetDryRun()),
		"--parallel", fmt.Sprint(req.GetParallel()),
		"--root_directory", info.GetRootDirectory(),
	}
	if org := req.GetOrganization(); org != "" {
		args = append(args, "--organization", org)
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	cmd, err := tc.Command(ctx, args...)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := programEnv(cmd.Env, req)
	if err != nil {
		return nil, err
	}
	cmd.Env = env
	cmd.Dir = info.GetProgramDirectory()
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitAfterUserMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run the Python launcher: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// programEnv passes stack config the way the Python SDK reads it: PULUMI_CONFIG (a JSON object) and
// PULUMI_CONFIG_SECRET_KEYS (a JSON array of the keys that hold secrets).
func programEnv(base []string, req *pulumirpc.RunRequest) ([]string, error) {
	if base == nil {
		base = os.Environ()
	}
	configMap := req.GetConfig()
	if configMap == nil {
		configMap = map[string]string{} // the SDK expects an object, never null
	}
	config, err := json.Marshal(configMap)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	return append(base, "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secrets)), nil
}

// A dynamic provider needs no plugin beyond pulumi-resource-pulumi-python, which the engine finds
// on PATH, so a program of this project requires no packages.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	tc, err := python(req.GetInfo())
	if err != nil {
		return nil, err
	}
	about, err := tc.About(ctx)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: about.PythonExecutable, Version: about.PythonVersion.String()}, nil
}

func (h *host) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	tc, err := python(req.GetInfo())
	if err != nil {
		return nil, err
	}
	packages, err := tc.ListPackages(ctx, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	deps := make([]*pulumirpc.DependencyInfo, 0, len(packages))
	for _, p := range packages {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// streamWriter forwards dependency-installation output to the engine.
type streamWriter struct {
	send   func(*pulumirpc.InstallDependenciesResponse) error
	stderr bool
}

func (w streamWriter) Write(p []byte) (int, error) {
	chunk := append([]byte(nil), p...)
	resp := &pulumirpc.InstallDependenciesResponse{Stdout: chunk}
	if w.stderr {
		resp = &pulumirpc.InstallDependenciesResponse{Stderr: chunk}
	}
	if err := w.send(resp); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	tc, err := python(req.GetInfo())
	if err != nil {
		return err
	}
	var out, errOut io.Writer = streamWriter{send: server.Send}, streamWriter{send: server.Send, stderr: true}
	return tc.InstallDependencies(server.Context(), req.GetInfo().GetProgramDirectory(),
		req.GetUseLanguageVersionTools(), true, out, errOut)
}
