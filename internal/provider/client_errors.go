package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/pbxops/terraform-provider-pbx/internal/client"
)

// addClientError turns a client error into a diagnostic. The client's
// errors never carry a URL, token or secret, so their text is safe to show.
// Login errors get no attribute path: it would point Terraform at the line
// that holds the secret.
func addClientError(diags *diag.Diagnostics, idsPath path.Path, summary string, err error) {
	var missing *client.MissingCertificatesError
	var refused *client.LoginRefusedError
	var apiErr *client.APIError
	switch {
	case errors.As(err, &missing):
		diags.AddAttributeError(idsPath, "PBX Certificates Not Found",
			fmt.Sprintf("The PBX has no certificate with ID %s. Remove the ID from ids, or look up the right one "+
				"in the PBX web portal.", missing.IDList()))
	case errors.As(err, &refused):
		diags.AddError("PBX Refused the Credentials", err.Error())
	case errors.As(err, &apiErr):
		detail := err.Error()
		if hint := apiErr.Hint(); hint != "" {
			detail += "\n\n" + hint
		}
		diags.AddError(summary, detail)
	default:
		diags.AddError(summary, "The PBX could not be read: "+err.Error())
	}
}
