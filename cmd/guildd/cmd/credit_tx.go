package cmd

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/daemon/ado"
	creditmodule "github.com/guild-network/guild/x/credit/module"
	credittypes "github.com/guild-network/guild/x/credit/types"
)

func init() {
	creditmodule.CredentialedTxCommands = append(creditmodule.CredentialedTxCommands,
		newCreditBorrowCmd, newCreditWithdrawCmd, newCreditRemoveProviderCmd, newCreditSetRecoveredCmd,
		newCreditPutOnAdministrationCmd, newCreditSetDefaultCmd)
}

// Flag names of the credentialed `guildd tx credit` commands.
const (
	flagCreditADO    = "ado"
	flagCreditAgent  = "agent"
	flagCreditAmount = "amount"
	flagCreditTo     = "to"
)

// credentialFlags adds --ado and --agent and the usual tx flags.
func credentialFlags(cmd *cobra.Command, adoRequired bool) {
	cmd.Flags().String(flagCreditADO, "", "the ADO's URL; the command fetches the credential from it")
	cmd.Flags().Uint64(flagCreditAgent, 0, "agent id (0: the --from account's only agent)")
	if adoRequired {
		_ = cmd.MarkFlagRequired(flagCreditADO)
	}
	flags.AddTxFlagsToCmd(cmd)
}

// resolveAgent returns the agent of --agent, or the --from account's only one.
func resolveAgent(cmd *cobra.Command, cctx client.Context) (credittypes.Agent, error) {
	q := credittypes.NewQueryClient(cctx)
	id, _ := cmd.Flags().GetUint64(flagCreditAgent)
	if id == 0 {
		res, err := q.Agents(cmd.Context(), &credittypes.QueryAgentsRequest{Owner: cctx.GetFromAddress().String()})
		if err != nil {
			return credittypes.Agent{}, err
		}
		if len(res.Agents) != 1 {
			return credittypes.Agent{}, fmt.Errorf("%s owns %d agents: pass --agent", cctx.GetFromAddress(), len(res.Agents))
		}
		return res.Agents[0], nil
	}
	res, err := q.Agent(cmd.Context(), &credittypes.QueryAgentRequest{AgentId: id})
	if err != nil {
		return credittypes.Agent{}, err
	}
	return res.Agent, nil
}

// fetchCredential signs a request with the agent's requester key (found in the keyring by its
// public key) and asks the ADO for the credential.
func fetchCredential(cmd *cobra.Command, cctx client.Context, agent credittypes.Agent, action, value, target string) (credittypes.SignedCredential, error) {
	url, _ := cmd.Flags().GetString(flagCreditADO)
	signer, err := ado.FindKeyringSigner(cctx.Keyring, agent.RequesterKey)
	if err != nil {
		return credittypes.SignedCredential{}, err
	}
	node, err := cctx.GetNode()
	if err != nil {
		return credittypes.SignedCredential{}, err
	}
	st, err := node.Status(cmd.Context())
	if err != nil {
		return credittypes.SignedCredential{}, fmt.Errorf("chain status: %w", err)
	}
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return credittypes.SignedCredential{}, err
	}
	req := ado.Request{ChainID: cctx.ChainID, Agent: agent.Id, Action: action, Value: value, Target: target,
		Height: st.SyncInfo.LatestBlockHeight, JTI: hex.EncodeToString(jti)}
	jws, err := ado.SignRequestWith(req, signer)
	if err != nil {
		return credittypes.SignedCredential{}, err
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), 30*time.Second)
	defer cancel()
	raw, err := ado.Fetch(ctx, http.DefaultClient, url, jws)
	if err != nil {
		return credittypes.SignedCredential{}, err
	}
	var sc credittypes.SignedCredential
	if err := cctx.Codec.UnmarshalJSON(raw, &sc); err != nil {
		return sc, fmt.Errorf("decoding the ADO's credential: %w", err)
	}
	return sc, nil
}

func coinFlag(cmd *cobra.Command) (sdk.Coin, error) {
	s, _ := cmd.Flags().GetString(flagCreditAmount)
	c, err := sdk.ParseCoinNormalized(s)
	if err != nil {
		return c, fmt.Errorf("--%s %q: %w", flagCreditAmount, s, err)
	}
	return c, nil
}

func newCreditBorrowCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "borrow --amount COIN --ado URL",
		Short:   "borrow into the agent's account with a credential fetched from the ADO (owner or operator)",
		Example: "guildd tx credit borrow --amount 100ugld --ado http://127.0.0.1:8470 --from owner",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			amount, err := coinFlag(cmd)
			if err != nil {
				return err
			}
			agent, err := resolveAgent(cmd, cctx)
			if err != nil {
				return err
			}
			sc, err := fetchCredential(cmd, cctx, agent, credittypes.ActionBorrow, amount.String(), "")
			if err != nil {
				return err
			}
			msg := &credittypes.MsgBorrow{Signer: cctx.GetFromAddress().String(), AgentId: agent.Id, Amount: amount, Credential: sc}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagCreditAmount, "", "amount to borrow, e.g. 100ugld")
	_ = cmd.MarkFlagRequired(flagCreditAmount)
	credentialFlags(cmd, true)
	return cmd
}

func newCreditWithdrawCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "withdraw --amount COIN --ado URL [--to ADDRESS]",
		Short: "move agent funds to --to (default: the owner) with a credential from the ADO (owner)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			amount, err := coinFlag(cmd)
			if err != nil {
				return err
			}
			agent, err := resolveAgent(cmd, cctx)
			if err != nil {
				return err
			}
			to, _ := cmd.Flags().GetString(flagCreditTo)
			if to == "" {
				to = cctx.GetFromAddress().String()
			}
			sc, err := fetchCredential(cmd, cctx, agent, credittypes.ActionWithdraw, amount.String(), to)
			if err != nil {
				return err
			}
			msg := &credittypes.MsgWithdraw{Owner: cctx.GetFromAddress().String(), AgentId: agent.Id, Amount: amount, Recipient: to, Credential: sc}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().String(flagCreditAmount, "", "amount to withdraw")
	cmd.Flags().String(flagCreditTo, "", "recipient (default: the --from account)")
	_ = cmd.MarkFlagRequired(flagCreditAmount)
	credentialFlags(cmd, true)
	return cmd
}

func newCreditRemoveProviderCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "remove-provider [provider] --ado URL",
		Short: "release a provider from the agent with a credential from the ADO (owner); then accept it with 'guildd tx provider accept-owner'",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			agent, err := resolveAgent(cmd, cctx)
			if err != nil {
				return err
			}
			sc, err := fetchCredential(cmd, cctx, agent, credittypes.ActionRemoveProvider, "", args[0])
			if err != nil {
				return err
			}
			msg := &credittypes.MsgRemoveProvider{Owner: cctx.GetFromAddress().String(), AgentId: agent.Id, Provider: args[0], Credential: sc}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	credentialFlags(cmd, true)
	return cmd
}

func newCreditSetRecoveredCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "set-recovered --ado URL",
		Short: "return an agent on administration to healthy with a credential from the ADO (owner or operator)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			agent, err := resolveAgent(cmd, cctx)
			if err != nil {
				return err
			}
			sc, err := fetchCredential(cmd, cctx, agent, credittypes.ActionSetRecovered, "", "")
			if err != nil {
				return err
			}
			msg := &credittypes.MsgSetRecovered{Signer: cctx.GetFromAddress().String(), AgentId: agent.Id, Credential: sc}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), msg)
		},
	}
	credentialFlags(cmd, true)
	return cmd
}

// standingCmd is put-on-administration and set-default: anyone may send them, with a
// credential (--ado, which needs the agent's requester key) or on the chain's evidence alone.
func standingCmd(use, short, action string, build func(signer string, agent uint64, sc *credittypes.SignedCredential) sdk.Msg) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cctx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			agent, err := resolveAgent(cmd, cctx)
			if err != nil {
				return err
			}
			var sc *credittypes.SignedCredential
			if url, _ := cmd.Flags().GetString(flagCreditADO); url != "" {
				c, err := fetchCredential(cmd, cctx, agent, action, "", "")
				if err != nil {
					return err
				}
				sc = &c
			}
			return tx.GenerateOrBroadcastTxCLI(cctx, cmd.Flags(), build(cctx.GetFromAddress().String(), agent.Id, sc))
		},
	}
	credentialFlags(cmd, false)
	return cmd
}

func newCreditPutOnAdministrationCmd() *cobra.Command {
	return standingCmd("put-on-administration --agent ID [--ado URL]",
		"put an agent whose DTL is above the administration threshold on administration (anyone; without --ado, on the chain's evidence)",
		credittypes.ActionPutOnAdministration, func(s string, id uint64, sc *credittypes.SignedCredential) sdk.Msg {
			return &credittypes.MsgPutOnAdministration{Signer: s, AgentId: id, Credential: sc}
		})
}

func newCreditSetDefaultCmd() *cobra.Command {
	return standingCmd("set-default --agent ID [--ado URL]",
		"put an agent whose DTL is above the liquidation threshold in default and liquidate it (anyone; without --ado, on the chain's evidence)",
		credittypes.ActionSetDefault, func(s string, id uint64, sc *credittypes.SignedCredential) sdk.Msg {
			return &credittypes.MsgSetDefault{Signer: s, AgentId: id, Credential: sc}
		})
}
