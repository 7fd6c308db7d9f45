do $$ begin create role diff_reader; exception when duplicate_object then null; end $$;
create table notes (id int, owner text, body text);
alter table notes enable row level security;
alter table notes force row level security;
create policy own_notes on notes for all using (owner = current_user) with check (owner = current_user);
create policy readers on notes as restrictive for select to diff_reader using (id > 0);
create table open_notes (id int);
alter table open_notes enable row level security;
