do $$ begin create role diff_reader; exception when duplicate_object then null; end $$;
create table notes (id int, owner text, body text);
alter table notes enable row level security;
create policy own_notes on notes for select using (owner = current_user);
create policy gone_policy on notes for delete to diff_reader using (true);
create table open_notes (id int);
