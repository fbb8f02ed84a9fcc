package main

import (
	"fmt"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"

	"github.com/funza-tic/mesa/internal/config"
	"github.com/funza-tic/mesa/internal/procedure"
)

// loadConfig reads defaults, then the file (if any), then MESA_* variables.
func loadConfig(file string, env []string) (config.Config, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	useDefaults := func(p procedure.Profile) error {
		var flat map[string]any
		if err := mapstructure.Decode(config.Defaults(p), &flat); err != nil {
			return err
		}
		setDefaults(v, "", flat)
		return nil
	}
	if err := useDefaults(procedure.Funza); err != nil {
		return config.Config{}, err
	}
	if file != "" {
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return config.Config{}, fmt.Errorf("%w: read %s: %v", errUsage, file, err)
		}
		if err := config.CheckFileKeys(file); err != nil {
			return config.Config{}, fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	for _, kv := range env {
		k, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, "MESA_") {
			continue
		}
		key := envKey(v, strings.ToLower(strings.TrimPrefix(k, "MESA_")))
		if key == "" {
			var names []string
			for _, k := range v.AllKeys() {
				names = append(names, strings.ToUpper("MESA_"+strings.ReplaceAll(k, ".", "_")))
			}
			msg := fmt.Sprintf("environment variable %s names no configuration key", k)
			if near := config.Nearest(k, names); near != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", near)
			}
			return config.Config{}, fmt.Errorf("%w: %s", errUsage, msg)
		}
		v.Set(key, val)
	}
	// The profile's own defaults (hours, office, rules) under what was set.
	if p := procedure.Profile(v.GetString("profile")); p == procedure.SCJBogota {
		if err := useDefaults(p); err != nil {
			return config.Config{}, err
		}
	}
	var c config.Config
	if err := v.Unmarshal(&c); err != nil {
		return config.Config{}, fmt.Errorf("%w: %v", errUsage, err)
	}
	if err := c.Validate(); err != nil {
		return config.Config{}, fmt.Errorf("%w: %v", errUsage, err)
	}
	return c, nil
}

// envKey maps "office_sender_name" to the key "office.sender_name": keys
// contain underscores too, so the known keys decide where the dots go.
func envKey(v *viper.Viper, s string) string {
	for _, k := range v.AllKeys() {
		if strings.ReplaceAll(k, ".", "_") == s {
			return k
		}
	}
	return ""
}

func setDefaults(v *viper.Viper, prefix string, m map[string]any) {
	for k, val := range m {
		key := strings.ToLower(k)
		if prefix != "" {
			key = prefix + "." + key
		}
		if sub, ok := val.(map[string]any); ok && len(sub) > 0 {
			setDefaults(v, key, sub)
			continue
		}
		if sub, ok := config.AsMap(val); ok && len(sub) > 0 {
			setDefaults(v, key, sub)
			continue
		}
		v.SetDefault(key, val)
	}
}
