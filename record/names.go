package record

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// exactNames refuses a member whose name matches a field of the wire
// shape t only when letter case is ignored ("EncryptedKey" for
// "encryptedKey"): encoding/json would read it into that field, and Ente's
// names are exact. It looks into nested objects and arrays of them. data
// has passed jsonstrict already.
func exactNames(data []byte, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice:
		var list []json.RawMessage
		if json.Unmarshal(data, &list) != nil {
			return nil // null, or a type error json.Unmarshal reported
		}
		for i, raw := range list {
			if err := exactNames(raw, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	case reflect.Struct:
	default:
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	for name, raw := range m {
		for i := range t.NumField() {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case tag == name:
				if err := exactNames(raw, f.Type, path+"."+tag); err != nil {
					return err
				}
			case strings.EqualFold(tag, name):
				return fmt.Errorf("%w: %s.%s: a member name in another case", ErrInvalid, path, tag)
			}
		}
	}
	return nil
}
