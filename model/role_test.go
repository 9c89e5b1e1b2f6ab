package model

import "testing"

func TestShowWritesTheOwnAccountAsTheInputDoes(t *testing.T) {
	r := &Role{OwnAccount: OwnAccountToken, OwnAccountText: "${AWS::AccountId}"}
	got := r.Show("user arn:aws:iam::<own-account>:user/alice, account <own-account>")
	if want := "user arn:aws:iam::${AWS::AccountId}:user/alice, account ${AWS::AccountId}"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if got := (&Role{}).Show("account <own-account>"); got != "account <own-account>" {
		t.Errorf("without a text the message is unchanged: got %q", got)
	}
}
