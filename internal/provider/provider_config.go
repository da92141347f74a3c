package provider

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pbxops/terraform-provider-pbx/internal/client"
)

// Environment variables read when an argument is not set in the configuration.
const (
	envBaseURL            = "PBX_BASE_URL"
	envAPIPath            = "PBX_API_PATH"
	envClientID           = "PBX_CLIENT_ID"
	envClientSecret       = "PBX_CLIENT_SECRET"
	envAccessToken        = "PBX_ACCESS_TOKEN"
	envCACertFile         = "PBX_CA_CERT_FILE"
	envInsecureSkipVerify = "PBX_INSECURE_SKIP_VERIFY"
	envTimeZone           = "PBX_TIME_ZONE"
	envTokenCacheDir      = "PBX_TOKEN_CACHE_DIR"
)

const (
	defaultRequestTimeout = 30 * time.Second
	defaultMaxRetries     = 3
	maxMaxRetries         = 10
	defaultTimeZone       = "UTC"
)

type providerModel struct {
	BaseURL            types.String `tfsdk:"base_url"`
	APIPath            types.String `tfsdk:"api_path"`
	ClientID           types.String `tfsdk:"client_id"`
	ClientSecret       types.String `tfsdk:"client_secret"`
	AccessToken        types.String `tfsdk:"access_token"`
	CACertPEM          types.String `tfsdk:"ca_cert_pem"`
	InsecureSkipVerify types.Bool   `tfsdk:"insecure_skip_verify"`
	RequestTimeout     types.String `tfsdk:"request_timeout"`
	MaxRetries         types.Number `tfsdk:"max_retries"`
	TimeZone           types.String `tfsdk:"time_zone"`
	DateFormat         types.String `tfsdk:"date_format"`
	TokenCacheDir      types.String `tfsdk:"token_cache_dir"`
}

// settings is the provider configuration after environment fallback,
// defaults and validation.
type settings struct {
	client     client.Config
	expiration *expirationClock
}

var osEnv = os.Getenv

// argument names one provider argument, its environment variable, and
// whether its value is a secret.
type argument struct {
	name   string
	env    string
	secret bool
}

// addError reports a problem with an argument. Secrets get no attribute
// path: Terraform would print the configuration line, which may hold the
// secret itself.
func (a argument) addError(diags *diag.Diagnostics, fromConfig bool, summary, detail string) {
	if fromConfig && !a.secret {
		diags.AddAttributeError(path.Root(a.name), summary, detail)
		return
	}
	diags.AddError(summary, detail)
}

// source says where a value came from, for error messages.
func (a argument) source(fromConfig bool) string {
	if fromConfig || a.env == "" {
		return a.name
	}
	return a.env + " (the environment variable for " + a.name + ")"
}

var (
	argBaseURL            = argument{name: "base_url", env: envBaseURL}
	argAPIPath            = argument{name: "api_path", env: envAPIPath}
	argClientID           = argument{name: "client_id", env: envClientID}
	argClientSecret       = argument{name: "client_secret", env: envClientSecret, secret: true}
	argAccessToken        = argument{name: "access_token", env: envAccessToken, secret: true}
	argCACertPEM          = argument{name: "ca_cert_pem", env: envCACertFile}
	argInsecureSkipVerify = argument{name: "insecure_skip_verify", env: envInsecureSkipVerify}
	argRequestTimeout     = argument{name: "request_timeout"}
	argMaxRetries         = argument{name: "max_retries"}
	argTimeZone           = argument{name: "time_zone", env: envTimeZone}
	argDateFormat         = argument{name: "date_format"}
	argTokenCacheDir      = argument{name: "token_cache_dir", env: envTokenCacheDir}
)

// resolveSettings applies, for each argument: an unknown value is an error,
// then the environment fallback, then the default.
func resolveSettings(config providerModel, getenv func(string) string) (settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	if rejectUnknown(&diags, config); diags.HasError() {
		return settings{}, diags
	}

	cfg := client.Config{
		MaxRetries:     defaultMaxRetries,
		RequestTimeout: defaultRequestTimeout,
		// A provider process serves one Terraform run.
		ShareAnswers: true,
	}

	baseURL, fromConfig := stringSetting(config.BaseURL, argBaseURL, getenv)
	switch err := client.ValidateBaseURL(baseURL); {
	case baseURL == "":
		argBaseURL.addError(&diags, fromConfig, "Missing PBX Base URL",
			"Set base_url in the provider configuration or the "+envBaseURL+" environment variable to the PBX's address, "+
				"for example https://192.168.5.150:8088.")
	case err != nil:
		argBaseURL.addError(&diags, fromConfig, "Invalid PBX Base URL",
			argBaseURL.source(fromConfig)+" must be an absolute http or https URL without a query, "+
				"for example https://192.168.5.150:8088: "+err.Error())
	case strings.HasPrefix(strings.ToLower(baseURL), "http://"):
		warning := "The PBX is reached over plain http, so the client secret and the access token cross the network unencrypted. " +
			"Use https if the PBX offers it."
		if fromConfig {
			diags.AddAttributeWarning(path.Root(argBaseURL.name), "PBX Credentials Sent in Clear Text", warning)
		} else {
			diags.AddWarning("PBX Credentials Sent in Clear Text", warning)
		}
	}
	cfg.BaseURL = baseURL

	apiPath, apiPathFromConfig := stringSetting(config.APIPath, argAPIPath, getenv)
	switch {
	case apiPath == "":
		apiPath = client.DefaultAPIPath
	case client.ValidateAPIPath(apiPath) != nil:
		argAPIPath.addError(&diags, apiPathFromConfig, "Invalid PBX API Path",
			argAPIPath.source(apiPathFromConfig)+": "+client.ValidateAPIPath(apiPath).Error()+".")
	}
	cfg.APIPath = apiPath

	resolveCredentials(&diags, &cfg, config, getenv)
	cfg.TokenCacheDir, _ = stringSetting(config.TokenCacheDir, argTokenCacheDir, getenv)
	resolveTLS(&diags, &cfg, config, getenv)

	if !config.RequestTimeout.IsNull() {
		timeout, err := time.ParseDuration(config.RequestTimeout.ValueString())
		if err != nil || timeout <= 0 {
			argRequestTimeout.addError(&diags, true, "Invalid Request Timeout",
				fmt.Sprintf("request_timeout must be a positive Go duration such as 30s or 2m, not %q.", config.RequestTimeout.ValueString()))
		}
		cfg.RequestTimeout = timeout
	}
	if !config.MaxRetries.IsNull() {
		retries, _ := config.MaxRetries.ValueBigFloat().Int64() // validated: 0 to maxMaxRetries
		cfg.MaxRetries = int(retries)
	}

	timeZone, tzFromConfig := stringSetting(config.TimeZone, argTimeZone, getenv)
	if timeZone == "" && !tzFromConfig {
		timeZone = defaultTimeZone
	}
	dateFormat := DateFormatYMD
	if !config.DateFormat.IsNull() {
		dateFormat = config.DateFormat.ValueString()
	}
	clock, err := newExpirationClock(dateFormat, timeZone)
	switch {
	case errors.Is(err, errUnknownDateFormat):
		argDateFormat.addError(&diags, true, "Invalid PBX Date Format", fmt.Sprintf("date_format: %s, or pbx to ask the PBX.", err))
	case err != nil:
		argTimeZone.addError(&diags, tzFromConfig, "Invalid PBX Time Zone",
			fmt.Sprintf("%s: %s. It must name the PBX's time zone as in the IANA database, for example Europe/Berlin, or be \"pbx\" to ask the PBX.",
				argTimeZone.source(tzFromConfig), err))
	}

	return settings{client: cfg, expiration: clock}, diags
}

func resolveCredentials(diags *diag.Diagnostics, cfg *client.Config, config providerModel, getenv func(string) string) {
	clientID, idFromConfig := stringSetting(config.ClientID, argClientID, getenv)
	clientSecret, secretFromConfig := stringSetting(config.ClientSecret, argClientSecret, getenv)
	accessToken, tokenFromConfig := stringSetting(config.AccessToken, argAccessToken, getenv)

	const ways = "Authenticate in exactly one way: client_id with client_secret (or the " + envClientID + " and " +
		envClientSecret + " environment variables), or access_token (or " + envAccessToken + ")."
	var set []string
	if clientID != "" {
		set = append(set, argClientID.source(idFromConfig))
	}
	if clientSecret != "" {
		set = append(set, argClientSecret.source(secretFromConfig))
	}
	if accessToken != "" {
		set = append(set, argAccessToken.source(tokenFromConfig))
	}

	switch {
	case accessToken != "" && (clientID != "" || clientSecret != ""):
		diags.AddError("Conflicting PBX Credentials", ways+" These are all set: "+strings.Join(set, ", ")+".")
	case accessToken != "":
	case clientID != "" && clientSecret != "":
	case len(set) == 1:
		diags.AddError("Incomplete PBX Credentials", ways+" Only "+set[0]+" is set.")
	default:
		diags.AddError("Missing PBX Credentials", ways+" None of them is set.")
	}
	cfg.ClientID, cfg.ClientSecret, cfg.AccessToken = clientID, clientSecret, accessToken
}

func resolveTLS(diags *diag.Diagnostics, cfg *client.Config, config providerModel, getenv func(string) string) {
	insecureFromConfig := !config.InsecureSkipVerify.IsNull()
	if insecureFromConfig {
		cfg.InsecureSkipVerify = config.InsecureSkipVerify.ValueBool()
	} else if raw := getenv(envInsecureSkipVerify); raw != "" {
		insecure, err := strconv.ParseBool(raw)
		if err != nil {
			diags.AddError("Invalid "+envInsecureSkipVerify,
				fmt.Sprintf("%s must be true or false, not %q.", envInsecureSkipVerify, raw))
		}
		cfg.InsecureSkipVerify = insecure
	}

	caFromConfig := !config.CACertPEM.IsNull()
	if caFromConfig {
		cfg.CACertPEM = []byte(config.CACertPEM.ValueString())
	} else if file := getenv(envCACertFile); file != "" {
		pem, err := os.ReadFile(file) //nolint:gosec // The user names the file on purpose.
		if err != nil {
			diags.AddError("Unable to Read "+envCACertFile,
				fmt.Sprintf("%s names a file that could not be read; it must be a PEM file of CA certificates: %s", envCACertFile, err))
		}
		cfg.CACertPEM = pem
	}
	if len(cfg.CACertPEM) > 0 {
		if err := client.ValidateCACertPEM(cfg.CACertPEM); err != nil {
			argCACertPEM.addError(diags, caFromConfig, "Invalid PBX CA Certificate",
				argCACertPEM.source(caFromConfig)+" must hold one or more PEM-encoded certificates (-----BEGIN CERTIFICATE-----): "+err.Error())
		}
	}

	if cfg.InsecureSkipVerify {
		if len(cfg.CACertPEM) > 0 {
			diags.AddError("Conflicting PBX TLS Settings",
				"insecure_skip_verify turns verification off, so a CA certificate would be ignored. Set only one of "+
					argInsecureSkipVerify.source(insecureFromConfig)+" and "+argCACertPEM.source(caFromConfig)+".")
			return
		}
		diags.AddWarning("PBX Certificate Not Verified",
			"insecure_skip_verify is true: the PBX's TLS certificate is not checked, so anyone on the network path can "+
				"impersonate the PBX and read the credentials. Prefer ca_cert_pem with the PBX's CA.")
	}
}

// stringSetting returns the configured value, else the environment's, and
// whether it came from the configuration.
func stringSetting(value types.String, arg argument, getenv func(string) string) (string, bool) {
	if !value.IsNull() {
		return value.ValueString(), true
	}
	if arg.env == "" {
		return "", false
	}
	return getenv(arg.env), false
}

// rejectUnknown refuses values that are only known after apply: the client
// needs every setting at plan time.
func rejectUnknown(diags *diag.Diagnostics, config providerModel) {
	for _, setting := range []struct {
		arg   argument
		value attr.Value
	}{
		{argBaseURL, config.BaseURL},
		{argAPIPath, config.APIPath},
		{argClientID, config.ClientID},
		{argClientSecret, config.ClientSecret},
		{argAccessToken, config.AccessToken},
		{argCACertPEM, config.CACertPEM},
		{argInsecureSkipVerify, config.InsecureSkipVerify},
		{argRequestTimeout, config.RequestTimeout},
		{argMaxRetries, config.MaxRetries},
		{argTimeZone, config.TimeZone},
		{argDateFormat, config.DateFormat},
		{argTokenCacheDir, config.TokenCacheDir},
	} {
		if !setting.value.IsUnknown() {
			continue
		}
		detail := "The provider needs " + setting.arg.name + " to read the PBX during plan, but its value is only known after apply. " +
			"Set it to a value known at plan time"
		if setting.arg.env != "" {
			detail += ", or leave it unset and use the " + setting.arg.env + " environment variable"
		}
		setting.arg.addError(diags, true, "Unknown PBX Provider Argument: "+setting.arg.name, detail+".")
	}
}
