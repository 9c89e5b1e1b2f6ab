partner_account_id = "777788889999"
