package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"
)

// startupRow compares the pbx provider (A) with the empty framework
// provider (B) on one measure of start-up.
type startupRow struct {
	name                   string
	pbx, empty             []time.Duration
	pbxRSSKiB, emptyRSSKiB int64
	pbxSchema, emptySchema int // bytes of the schema answer, when known
}

func measureStartup(ctx context.Context, tf *terraform, bins binaries, work string, runs int) ([]startupRow, error) {
	direct, err := measureDirectStartup(ctx, tf, bins, 2*runs)
	if err != nil {
		return nil, err
	}
	logf("%-32s A %6.1f ms   B %6.1f ms   %5.2f×", direct.name, ms(median(direct.pbx)), ms(median(direct.empty)), ratio(median(direct.pbx), median(direct.empty)))
	viaTerraform, err := measureSchemaCommand(ctx, tf, work, runs)
	if err != nil {
		return nil, err
	}
	logf("%-32s A %6.0f ms   B %6.0f ms   %5.2f×", viaTerraform.name, ms(median(viaTerraform.pbx)), ms(median(viaTerraform.empty)), ratio(median(viaTerraform.pbx), median(viaTerraform.empty)))
	return []startupRow{direct, viaTerraform}, nil
}

// measureDirectStartup times process start plus GetProviderSchema, the
// part of every Terraform command that a provider's own code decides.
func measureDirectStartup(ctx context.Context, tf *terraform, bins binaries, runs int) (startupRow, error) {
	r := startupRow{name: "start + GetProviderSchema"}
	for i := range runs {
		order := []string{bins.pbx, bins.empty}
		if i%2 == 1 {
			slices.Reverse(order)
		}
		for _, bin := range order {
			run, err := startAndAskSchema(ctx, bin, tf.env)
			if err != nil {
				return r, err
			}
			if bin == bins.pbx {
				r.pbx = append(r.pbx, run.schema)
				r.pbxRSSKiB = max(r.pbxRSSKiB, run.rssKiB)
				r.pbxSchema = run.schemaBytes
			} else {
				r.empty = append(r.empty, run.schema)
				r.emptyRSSKiB = max(r.emptyRSSKiB, run.rssKiB)
				r.emptySchema = run.schemaBytes
			}
		}
	}
	return r, nil
}

// measureSchemaCommand times `terraform providers schema -json` for a
// configuration that needs only the one provider: Terraform's own cost
// included, as a user sees it.
func measureSchemaCommand(ctx context.Context, tf *terraform, work string, runs int) (startupRow, error) {
	r := startupRow{name: "terraform providers schema -json"}
	dirs := map[string]string{"pbx": filepath.Join(work, "startup", "pbx"), "empty": filepath.Join(work, "startup", "empty")}
	for name, dir := range dirs {
		hcl := "terraform {\n  required_providers {\n    " + name + " = { source = \"pbxops/" + name + "\" }\n  }\n}\n"
		if err := writeConfig(dir, hcl); err != nil {
			return r, err
		}
	}
	for i := range runs {
		order := []string{"pbx", "empty"}
		if i%2 == 1 {
			slices.Reverse(order)
		}
		for _, name := range order {
			usageFile := filepath.Join(dirs[name], fmt.Sprintf("usage-%d.txt", i))
			took, err := tf.run(ctx, dirs[name], []string{"PBXBENCH_USAGE_FILE=" + usageFile}, "providers", "schema", "-json")
			if err != nil {
				return r, err
			}
			usage, err := readUsageFile(usageFile)
			if err != nil {
				return r, err
			}
			var peak int64
			for _, u := range usage {
				peak = max(peak, u.peakRSSKiB)
			}
			if name == "pbx" {
				r.pbx = append(r.pbx, took.wall)
				r.pbxRSSKiB = max(r.pbxRSSKiB, peak)
			} else {
				r.empty = append(r.empty, took.wall)
				r.emptyRSSKiB = max(r.emptyRSSKiB, peak)
			}
		}
	}
	return r, nil
}
