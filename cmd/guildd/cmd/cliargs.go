package cmd

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"google.golang.org/protobuf/reflect/protoreflect"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
)

// positionalArg is one positional argument of an autocli command, as its user sees it.
type positionalArg struct {
	name  string                       // from the command's Use, e.g. lease-id
	field protoreflect.FieldDescriptor // the message field it fills
	enum  protoreflect.EnumDescriptor  // set for enum fields
	opts  *autocliv1.PositionalArgDescriptor
}

// describeArguments gives autocli's positional arguments what autocli leaves out: their names
// in errors (autocli reports a bad value as `invalid argument "done" for "--1" flag`), an
// "Arguments:" section in the help with each one's type and, for enums, its values, and enum
// values accepted both as the short name (active) and as the name the outputs show
// (LEASE_STATE_ACTIVE). The descriptions come from the modules' AutoCLIOptions and the proto
// descriptors, so new modules get them without code.
func describeArguments(root *cobra.Command, modules map[string]*autocliv1.ModuleOptions) {
	files, err := gogoproto.MergedRegistry()
	if err != nil {
		return // descriptors are static; without them the commands keep autocli's behaviour
	}
	for module, mo := range modules {
		if mo == nil {
			continue
		}
		for group, svc := range map[string]*autocliv1.ServiceCommandDescriptor{"tx": mo.Tx, "query": mo.Query} {
			if svc == nil || svc.Service == "" {
				continue
			}
			d, err := files.FindDescriptorByName(protoreflect.FullName(svc.Service))
			if err != nil {
				continue
			}
			sd, ok := d.(protoreflect.ServiceDescriptor)
			if !ok {
				continue
			}
			parent := findPath(root, group, module)
			if parent == nil {
				continue
			}
			for _, rpc := range svc.RpcCommandOptions {
				if rpc.Skip || rpc.Use == "" {
					continue
				}
				md := sd.Methods().ByName(protoreflect.Name(rpc.RpcMethod))
				c := findPath(parent, strings.Fields(rpc.Use)[0])
				if md == nil || c == nil || c.RunE == nil {
					continue
				}
				decorateArgs(c, positionalArgs(rpc, md.Input()))
			}
		}
	}
}

func findPath(c *cobra.Command, names ...string) *cobra.Command {
	for _, n := range names {
		var next *cobra.Command
		for _, sub := range c.Commands() {
			if sub.Name() == n {
				next = sub
				break
			}
		}
		if next == nil {
			return nil
		}
		c = next
	}
	return c
}

var useArg = regexp.MustCompile(`\[([^\]]+)\]`)

func positionalArgs(rpc *autocliv1.RpcCommandOptions, msg protoreflect.MessageDescriptor) []positionalArg {
	names := useArg.FindAllStringSubmatch(rpc.Use, -1)
	args := make([]positionalArg, 0, len(rpc.PositionalArgs))
	for i, pa := range rpc.PositionalArgs {
		a := positionalArg{name: strings.ReplaceAll(pa.ProtoField, "_", "-"), opts: pa}
		if i < len(names) {
			a.name = names[i][1]
		}
		if f := msg.Fields().ByName(protoreflect.Name(pa.ProtoField)); f != nil {
			a.field = f
			if f.Kind() == protoreflect.EnumKind {
				a.enum = f.Enum()
			}
		}
		args = append(args, a)
	}
	return args
}

func decorateArgs(c *cobra.Command, args []positionalArg) {
	if len(args) > 0 {
		var b strings.Builder
		if c.Long == "" {
			b.WriteString(c.Short)
		} else {
			b.WriteString(c.Long)
		}
		b.WriteString("\n\nArguments:\n")
		for _, a := range args {
			fmt.Fprintf(&b, "  %-18s %s\n", a.name, argDescription(a))
		}
		c.Long = strings.TrimRight(b.String(), "\n")
	}
	check, run := c.Args, c.RunE
	c.Args = func(cmd *cobra.Command, given []string) error {
		if check == nil {
			return nil
		}
		if err := check(cmd, given); err != nil {
			return fmt.Errorf("%w\nusage: %s (see --help)", err, cmd.UseLine())
		}
		return nil
	}
	c.RunE = func(cmd *cobra.Command, given []string) error {
		given = append([]string(nil), given...)
		for i := range given {
			if i < len(args) && args[i].enum != nil {
				given[i] = enumShortName(args[i].enum.Name(), given[i])
			}
		}
		return renamePositionalError(run(cmd, given), args)
	}
}

// argDescription says what a positional argument takes.
func argDescription(a positionalArg) string {
	opt := ""
	if a.opts != nil && a.opts.Optional {
		opt = " (optional)"
	}
	if a.opts != nil && a.opts.Varargs {
		opt = " (one or more)"
	}
	if a.field == nil {
		return strings.TrimSpace(opt)
	}
	what := ""
	switch {
	case a.enum != nil:
		vals := enumValues(a.enum)
		what = "one of " + strings.Join(vals, ", ") + " (or the full name, e.g. " + enumFullName(a.enum, vals[len(vals)-1]) + ")"
	case a.field.Kind() == protoreflect.MessageKind:
		switch a.field.Message().FullName() {
		case "cosmos.base.v1beta1.Coin":
			what = "an amount with its denom, e.g. 5000000uusdc"
		case "cosmos.base.v1beta1.DecCoin":
			what = "a decimal amount with its denom, e.g. 0.05uusdc"
		default:
			what = "JSON of " + string(a.field.Message().Name())
		}
	case a.field.Kind() == protoreflect.BytesKind:
		what = "bytes, in hex or base64"
	case a.field.Kind() == protoreflect.BoolKind:
		what = "true or false"
	case a.field.Kind() == protoreflect.StringKind:
		if strings.Contains(string(a.field.Name()), "address") || isAddressField(a.field) {
			what = "a bech32 address (guild1…)"
		} else {
			what = "text"
		}
	default:
		what = "a whole number"
		if strings.HasSuffix(a.name, "id") {
			what = "the " + strings.ReplaceAll(a.name, "-", " ") + " (a number)"
		}
	}
	return what + opt
}

func isAddressField(f protoreflect.FieldDescriptor) bool {
	switch f.Name() {
	case "tenant", "provider", "owner", "new_owner", "beneficiary", "operator", "creator", "signer":
		return true
	}
	return false
}

// positionalFlag matches autocli's error for a bad positional value, which names the argument
// by its index as if it were a flag.
var positionalFlag = regexp.MustCompile(`invalid argument "([^"]*)" for "--(\d+)" flag: (.*)`)

func renamePositionalError(err error, args []positionalArg) error {
	if err == nil {
		return nil
	}
	m := positionalFlag.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	i, _ := strconv.Atoi(m[2])
	name := fmt.Sprintf("%d", i+1)
	desc := ""
	if i < len(args) {
		name = args[i].name
		if d := argDescription(args[i]); d != "" {
			desc = "; expected " + d
		}
	}
	return fmt.Errorf("argument %d [%s]: invalid value %q: %s%s", i+1, name, m[1], cleanEnumError(m[3]), desc)
}

func cleanEnumError(s string) string {
	if strings.Contains(s, " is not a valid value for enum") {
		return "not a valid value"
	}
	if strings.Contains(s, "strconv.Parse") {
		return "not a number"
	}
	return s
}

// acceptEnumNames wraps every enum flag (autocli's enum flags describe themselves as
// "Name (a | b | c)") so that it also accepts the full value name the outputs show.
func acceptEnumNames(root *cobra.Command) {
	walk(root, func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if name, ok := enumFlagName(f.Value.Type()); ok {
				if _, wrapped := f.Value.(*enumAlias); !wrapped {
					f.Value = &enumAlias{Value: f.Value, enum: name}
					if f.Usage == "" {
						f.Usage = "one of the values listed (short or full name)"
					}
				}
			}
		})
	})
}

var enumType = regexp.MustCompile(`^([A-Za-z0-9]+) \((.+)\)$`)

func enumFlagName(typ string) (protoreflect.Name, bool) {
	m := enumType.FindStringSubmatch(typ)
	if m == nil || !strings.Contains(m[2], " | ") {
		return "", false
	}
	return protoreflect.Name(m[1]), true
}

type enumAlias struct {
	pflag.Value
	enum protoreflect.Name
}

func (e *enumAlias) Set(s string) error { return e.Value.Set(enumShortName(e.enum, s)) }

// enumShortName turns LEASE_STATE_ACTIVE (or ACTIVE, or lease_state_active) into autocli's
// short kebab name, active; other text is returned as given.
func enumShortName(enum protoreflect.Name, s string) string {
	if s == "" || strings.ToLower(s) == s && !strings.Contains(s, "_") {
		return s
	}
	k := strings.ReplaceAll(strings.ToLower(s), "_", "-")
	return strings.TrimPrefix(k, kebab(string(enum))+"-")
}

func enumValues(e protoreflect.EnumDescriptor) []string {
	prefix := kebab(string(e.Name())) + "-"
	vals := make([]string, 0, e.Values().Len())
	for i := 0; i < e.Values().Len(); i++ {
		v := e.Values().Get(i)
		if v.Number() == 0 {
			continue // the unspecified zero value is never a valid argument
		}
		vals = append(vals, strings.TrimPrefix(strings.ReplaceAll(strings.ToLower(string(v.Name())), "_", "-"), prefix))
	}
	return vals
}

func enumFullName(e protoreflect.EnumDescriptor, short string) string {
	return strings.ToUpper(strings.ReplaceAll(kebab(string(e.Name()))+"-"+short, "-", "_"))
}

// kebab turns LeaseState into lease-state.
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
