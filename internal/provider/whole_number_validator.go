package provider

import (
	"context"
	"fmt"
	"math"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// wholeNumberValidator exists because whole-number arguments are Numbers
// rather than Int64s: an Int64 turns 1.5 into an internal framework error
// instead of a message naming the attribute, and the framework validators
// have no whole-number check for Number.
type wholeNumberValidator struct {
	min, max      int64
	certificateID bool // word the error for ids
}

func certificateIDValidator() validator.Number {
	return wholeNumberValidator{min: 1, max: math.MaxInt64, certificateID: true}
}

func wholeNumberBetween(min, max int64) validator.Number {
	return wholeNumberValidator{min: min, max: max}
}

func (v wholeNumberValidator) Description(context.Context) string {
	return fmt.Sprintf("value must be a whole number between %d and %d", v.min, v.max)
}

func (v wholeNumberValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v wholeNumberValidator) ValidateNumber(_ context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	value := req.ConfigValue.ValueBigFloat()
	if _, ok := v.wholeNumber(value); ok {
		return
	}
	text := value.Text('g', -1)
	switch {
	case v.certificateID:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Certificate ID",
			fmt.Sprintf("Each certificate ID must be a whole number of at least %d, not %s.", v.min, text))
	case value.IsInt():
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
			fmt.Sprintf("Attribute %s value must be between %d and %d, got: %s", req.Path, v.min, v.max, text))
	default:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value",
			fmt.Sprintf("Attribute %s value must be a whole number between %d and %d, got: %s", req.Path, v.min, v.max, text))
	}
}

func (v wholeNumberValidator) wholeNumber(f *big.Float) (int64, bool) {
	if f == nil || !f.IsInt() {
		return 0, false
	}
	n, accuracy := f.Int64()
	if accuracy != big.Exact || n < v.min || n > v.max {
		return 0, false
	}
	return n, true
}

// wholeNumbers converts ids the validators accepted; it checks again rather
// than trust that every caller ran them.
func wholeNumbers(ctx context.Context, list types.List) ([]int64, diag.Diagnostics) {
	var numbers []types.Number
	diags := list.ElementsAs(ctx, &numbers, false)
	if diags.HasError() {
		return nil, diags
	}
	ids := make([]int64, 0, len(numbers))
	check := wholeNumberValidator{min: 1, max: math.MaxInt64}
	for i, number := range numbers {
		id, ok := check.wholeNumber(number.ValueBigFloat())
		if !ok {
			diags.AddError("Invalid Certificate ID", fmt.Sprintf("ids[%d] must be a whole number of at least 1.", i))
			continue
		}
		ids = append(ids, id)
	}
	return ids, diags
}
