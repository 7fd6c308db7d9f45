-- Down for 013: the five tables go, with their indexes, triggers and policies.
-- Children first, so no foreign key is left pointing at a dropped table.
DROP TABLE IF EXISTS campaign_cohorts;
DROP TABLE IF EXISTS campaign_quests;
DROP TABLE IF EXISTS campaigns;
DROP TABLE IF EXISTS message_architecture;
DROP TABLE IF EXISTS positioning;
