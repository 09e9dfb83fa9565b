-- Campaigns (创先争优活动): central tasks, criteria sets, field templates,
-- carriers, themes, plans with public consultation. README.md explains the
-- rules; every table that grows with the country carries shard_id (the
-- shard of the campaign's owner unit) first in its keys.

-- Installation-wide defaults, copied into each new campaign so that the
-- campaign owner edits the copy and never another campaign's criteria.
-- Small reference tables: no shard_id.
CREATE TABLE criteria_defaults (
  set_kind VARCHAR(10) NOT NULL CHECK (set_kind IN ('unit', 'member')),
  sort_order INTEGER NOT NULL,
  name_zh VARCHAR(100) NOT NULL,
  name_en VARCHAR(200) NOT NULL,
  description_zh TEXT NOT NULL,
  description_en TEXT NOT NULL,
  PRIMARY KEY (set_kind, sort_order)
);
-- 五个好 and 五带头, worded as in the 2010 opinion of the CPC Central
-- Committee General Office on 创先争优 in grassroots organisations.
INSERT INTO criteria_defaults (set_kind, sort_order, name_zh, name_en, description_zh, description_en) VALUES
  ('unit', 1, '领导班子好', 'Good leadership team',
   '认真贯彻执行党的路线方针政策,团结协作,求真务实,开拓创新,廉洁自律,带领党员群众推动发展、促进和谐成效明显。',
   'Carries out the Party''s line and policies conscientiously; works together, seeks truth and results, innovates and keeps clean; leads members and the public to clear results in development and social harmony.'),
  ('unit', 2, '党员队伍好', 'Good membership',
   '党员素质优良,结构合理,能够充分发挥先锋模范作用。',
   'Members are of good quality and balanced composition, and fully play their role as pioneers and models.'),
  ('unit', 3, '工作机制好', 'Good working mechanisms',
   '党组织工作制度健全完善,党内生活正常,党员教育管理严格,联系服务群众经常。',
   'The organisation''s rules of work are complete, its internal life is regular, members are educated and managed strictly, and it stays in constant touch with and serves the public.'),
  ('unit', 4, '工作业绩好', 'Good results',
   '围绕中心、服务大局成绩突出,在推动发展、促进社会和谐中走在前列。',
   'Outstanding results in serving the central work and the overall situation; in the front rank in promoting development and social harmony.'),
  ('unit', 5, '群众反映好', 'Good public response',
   '党组织在群众中威信高、形象好,群众满意度高。',
   'The organisation enjoys high prestige and a good image among the public, and public satisfaction is high.'),
  ('member', 1, '带头学习提高', 'Leads in learning',
   '自觉学习政治理论、科学文化和业务知识,不断提高工作能力和服务水平。',
   'Studies political theory, science, culture and professional knowledge of their own accord, and keeps raising their ability to work and to serve.'),
  ('member', 2, '带头争创佳绩', 'Leads in results',
   '立足本职岗位,勤奋工作,开拓进取,做出显著成绩。',
   'Works hard at their own post, pushes forward and achieves notable results.'),
  ('member', 3, '带头服务群众', 'Leads in serving the public',
   '积极帮助群众解决实际困难,维护群众正当权益。',
   'Actively helps the public solve practical difficulties and protects their legitimate rights and interests.'),
  ('member', 4, '带头遵纪守法', 'Leads in observing discipline and law',
   '模范遵守国家法律法规和党的纪律,自觉维护党的团结统一。',
   'Sets an example in observing the law and Party discipline, and upholds the Party''s unity of their own accord.'),
  ('member', 5, '带头弘扬正气', 'Leads in upholding integrity',
   '发扬社会主义新风尚,敢于同不良风气、违纪违法行为作斗争。',
   'Promotes new social customs and stands up against unhealthy trends and breaches of discipline and law.');

-- Carriers (载体): how members act. fields: comma-separated field codes,
-- '' for every field.
CREATE TABLE carrier_defaults (
  sort_order INTEGER PRIMARY KEY,
  name_zh VARCHAR(100) NOT NULL,
  name_en VARCHAR(200) NOT NULL,
  description_zh TEXT NOT NULL,
  description_en TEXT NOT NULL,
  fields VARCHAR(400) NOT NULL
);
INSERT INTO carrier_defaults (sort_order, name_zh, name_en, description_zh, description_en, fields) VALUES
  (1, '党员先锋岗', 'Party member pioneer post',
   '在窗口、一线和关键岗位设立,挂牌亮明党员身份,公开岗位职责和服务承诺,接受群众监督。',
   'Set up at service windows, front lines and key posts: the member''s identity, duties and service pledges are displayed openly and the public oversees them.',
   ''),
  (2, '党员责任区', 'Party member responsibility zone',
   '按地域、楼栋、网格或生产线划定责任区,由党员包片负责联系群众、收集诉求、化解矛盾。',
   'An area, building, grid cell or production line assigned to a member, who keeps in touch with its people, gathers their needs and settles disputes.',
   'rural,community,enterprise,public_institution'),
  (3, '承诺服务', 'Pledge service',
   '党组织和党员结合岗位向群众公开作出服务承诺,定期报告兑现情况,由群众评议。',
   'The organisation and its members make public service pledges tied to their posts, report regularly on keeping them and are judged by the public.',
   ''),
  (4, '志愿服务', 'Volunteer service',
   '组织党员志愿服务队,开展扶贫济困、便民利民、环境整治等志愿活动。',
   'Members form volunteer teams for helping people in need, everyday services and cleaning up the environment.',
   ''),
  (5, '结对帮扶', 'Paired assistance',
   '党员与困难群众、困难家庭或后进单位结成对子,一对一帮扶,帮到实处。',
   'A member pairs with a family or person in difficulty, or with a lagging unit, and helps one-to-one until the help is real.',
   ''),
  (6, '党员示范户', 'Party member model household',
   '在种植、养殖和乡村产业中培育党员示范户,带动群众增收致富。',
   'Member households that set an example in farming, breeding and village industry and help others raise their incomes.',
   'rural'),
  (7, '党员技术攻关', 'Party member technical breakthrough team',
   '组织党员围绕生产经营难题组成攻关小组,攻克技术难关、提高质量效益。',
   'Members form teams to solve production and business problems, break technical bottlenecks and raise quality and efficiency.',
   'enterprise'),
  (8, '党员示范课', 'Party member model lesson',
   '党员教师上好示范课、带好青年教师,在教书育人中作表率。',
   'Member teachers give model lessons, mentor young teachers and set the example in teaching and bringing up students.',
   'school');

-- Suggested goals and task templates per field (领域): what a branch of that
-- field is expected to aim at.
CREATE TABLE field_template_defaults (
  field VARCHAR(40) NOT NULL REFERENCES fields (code),
  kind VARCHAR(10) NOT NULL CHECK (kind IN ('goal', 'task')),
  sort_order INTEGER NOT NULL,
  text_zh TEXT NOT NULL,
  text_en TEXT NOT NULL,
  PRIMARY KEY (field, kind, sort_order)
);
INSERT INTO field_template_defaults (field, kind, sort_order, text_zh, text_en) VALUES
  ('rural', 'goal', 1, '带领群众发展特色产业,增加农民收入', 'Lead villagers in developing local industries and raising incomes'),
  ('rural', 'goal', 2, '村务公开规范,矛盾纠纷不出村', 'Open village affairs; disputes settled within the village'),
  ('rural', 'task', 1, '每名党员联系若干农户,帮助解决生产生活困难', 'Each member keeps in touch with several households and helps with their difficulties'),
  ('rural', 'task', 2, '发展壮大村集体经济', 'Grow the village collective economy'),
  ('community', 'goal', 1, '网格化服务全覆盖,居民诉求及时回应', 'Grid-based service covers every household; residents'' needs answered promptly'),
  ('community', 'goal', 2, '建设和谐宜居社区', 'A harmonious, liveable community'),
  ('community', 'task', 1, '在职党员到社区报到,认领服务项目', 'Employed members register with the community and take on service projects'),
  ('community', 'task', 2, '为老年人、残疾人等提供上门服务', 'Home services for the elderly and people with disabilities'),
  ('agency', 'goal', 1, '转变作风,提高办事效率和服务质量', 'Better work style, faster and better service'),
  ('agency', 'goal', 2, '群众满意的服务型机关', 'A service-minded agency the public is satisfied with'),
  ('agency', 'task', 1, '窗口单位公开办事流程和时限', 'Service windows publish their procedures and time limits'),
  ('agency', 'task', 2, '机关党员下基层、解难题', 'Agency members go to the grassroots to solve problems'),
  ('enterprise', 'goal', 1, '党建工作与生产经营深度融合', 'Party work woven into production and business'),
  ('enterprise', 'goal', 2, '安全生产、质量提升、职工满意', 'Safe production, better quality, satisfied employees'),
  ('enterprise', 'task', 1, '党员带头开展技术革新和合理化建议', 'Members lead technical innovation and improvement proposals'),
  ('enterprise', 'task', 2, '关心职工生活,帮扶困难职工', 'Care for employees'' lives; help employees in difficulty'),
  ('school', 'goal', 1, '立德树人,提高教育教学质量', 'Moral education and better teaching'),
  ('school', 'goal', 2, '家长和社会满意的学校', 'A school parents and society are satisfied with'),
  ('school', 'task', 1, '党员教师结对帮扶学困生', 'Member teachers pair with students who struggle'),
  ('school', 'task', 2, '开展师德师风建设', 'Build teachers'' professional ethics'),
  ('public_institution', 'goal', 1, '改善服务,让群众看病办事更方便', 'Better service: easier care and paperwork for the public'),
  ('public_institution', 'goal', 2, '医德医风好,群众信任', 'Good medical ethics; public trust'),
  ('public_institution', 'task', 1, '党员医务人员义诊进村入社区', 'Member medical staff hold free clinics in villages and communities'),
  ('public_institution', 'task', 2, '优化就诊流程,缩短等候时间', 'Streamline visits and shorten waiting times'),
  ('social_organization', 'goal', 1, '依法规范运行,服务社会公益', 'Lawful, orderly operation serving the public good'),
  ('social_organization', 'goal', 2, '引导会员诚信经营、服务社会', 'Guide members to honest business and social service'),
  ('social_organization', 'task', 1, '组织会员开展公益志愿服务', 'Organise members for volunteer public-interest work'),
  ('social_organization', 'task', 2, '为会员提供政策咨询和法律服务', 'Policy advice and legal services for members');

CREATE TABLE campaigns (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  owner_unit_id BIGINT NOT NULL,
  name VARCHAR(100) NOT NULL,
  description TEXT NOT NULL,
  starts_on VARCHAR(10) NOT NULL,
  ends_on VARCHAR(10) NOT NULL,
  status VARCHAR(10) NOT NULL CHECK (status IN ('draft', 'active', 'closed')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, id),
  FOREIGN KEY (shard_id, owner_unit_id) REFERENCES units (shard_id, id)
);
-- Routes name a campaign by id alone; this finds its shard.
CREATE INDEX campaigns_id ON campaigns (id);

CREATE TABLE central_tasks (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  campaign_id BIGINT NOT NULL,
  title VARCHAR(100) NOT NULL,
  description TEXT NOT NULL,
  target_value DOUBLE PRECISION NOT NULL,
  target_unit VARCHAR(20) NOT NULL,
  owner_unit_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, id),
  FOREIGN KEY (shard_id, campaign_id) REFERENCES campaigns (shard_id, id),
  FOREIGN KEY (shard_id, owner_unit_id) REFERENCES units (shard_id, id)
);
CREATE INDEX central_tasks_campaign ON central_tasks (shard_id, campaign_id);

-- field '' is the campaign's set for every field; a field's own rows
-- replace it for units of that field (an override is a whole set).
CREATE TABLE campaign_criteria (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  campaign_id BIGINT NOT NULL,
  set_kind VARCHAR(10) NOT NULL CHECK (set_kind IN ('unit', 'member')),
  field VARCHAR(40) NOT NULL,
  sort_order INTEGER NOT NULL,
  name VARCHAR(100) NOT NULL,
  name_en VARCHAR(200) NOT NULL,
  description TEXT NOT NULL,
  description_en TEXT NOT NULL,
  PRIMARY KEY (shard_id, id),
  UNIQUE (shard_id, campaign_id, set_kind, field, sort_order),
  FOREIGN KEY (shard_id, campaign_id) REFERENCES campaigns (shard_id, id)
);

CREATE TABLE campaign_carriers (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  campaign_id BIGINT NOT NULL,
  name VARCHAR(100) NOT NULL,
  name_en VARCHAR(200) NOT NULL,
  description TEXT NOT NULL,
  description_en TEXT NOT NULL,
  fields VARCHAR(400) NOT NULL,
  sort_order INTEGER NOT NULL,
  retired_at BIGINT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, id),
  FOREIGN KEY (shard_id, campaign_id) REFERENCES campaigns (shard_id, id)
);
CREATE INDEX campaign_carriers_campaign ON campaign_carriers (shard_id, campaign_id);

CREATE TABLE campaign_field_templates (
  shard_id BIGINT NOT NULL,
  campaign_id BIGINT NOT NULL,
  field VARCHAR(40) NOT NULL REFERENCES fields (code),
  kind VARCHAR(10) NOT NULL CHECK (kind IN ('goal', 'task')),
  sort_order INTEGER NOT NULL,
  text TEXT NOT NULL,
  text_en TEXT NOT NULL,
  PRIMARY KEY (shard_id, campaign_id, field, kind, sort_order),
  FOREIGN KEY (shard_id, campaign_id) REFERENCES campaigns (shard_id, id)
);

-- One theme per unit per campaign: the constraint says so, not the code.
CREATE TABLE themes (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  campaign_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  title VARCHAR(100) NOT NULL,
  reason TEXT NOT NULL,
  status VARCHAR(10) NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
  review_comment TEXT NOT NULL DEFAULT '',
  reviewer_name VARCHAR(100) NOT NULL DEFAULT '',
  submitted_at BIGINT,
  reviewed_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, id),
  UNIQUE (shard_id, campaign_id, unit_id),
  FOREIGN KEY (shard_id, campaign_id) REFERENCES campaigns (shard_id, id),
  FOREIGN KEY (shard_id, unit_id) REFERENCES units (shard_id, id)
);
CREATE INDEX themes_id ON themes (id);

CREATE TABLE theme_tasks (
  shard_id BIGINT NOT NULL,
  theme_id BIGINT NOT NULL,
  central_task_id BIGINT NOT NULL,
  PRIMARY KEY (shard_id, theme_id, central_task_id),
  FOREIGN KEY (shard_id, theme_id) REFERENCES themes (shard_id, id),
  FOREIGN KEY (shard_id, central_task_id) REFERENCES central_tasks (shard_id, id)
);

CREATE TABLE theme_carriers (
  shard_id BIGINT NOT NULL,
  theme_id BIGINT NOT NULL,
  carrier_id BIGINT NOT NULL,
  PRIMARY KEY (shard_id, theme_id, carrier_id),
  FOREIGN KEY (shard_id, theme_id) REFERENCES themes (shard_id, id),
  FOREIGN KEY (shard_id, carrier_id) REFERENCES campaign_carriers (shard_id, id)
);

-- One activity plan per unit per campaign. body is Markdown as written;
-- the server renders it safely for every answer (README.md).
CREATE TABLE plans (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  campaign_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  title VARCHAR(100) NOT NULL,
  body TEXT NOT NULL,
  status VARCHAR(15) NOT NULL CHECK (status IN ('draft', 'consultation', 'adopted')),
  opens_at BIGINT,
  closes_at BIGINT,
  adopted_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (shard_id, id),
  UNIQUE (shard_id, campaign_id, unit_id),
  FOREIGN KEY (shard_id, campaign_id) REFERENCES campaigns (shard_id, id),
  FOREIGN KEY (shard_id, unit_id) REFERENCES units (shard_id, id)
);
CREATE INDEX plans_id ON plans (id);

-- Upload ids (platform/uploads, purpose plan_attachment), in the order shown.
CREATE TABLE plan_attachments (
  shard_id BIGINT NOT NULL,
  plan_id BIGINT NOT NULL,
  upload_id BIGINT NOT NULL,
  sort_order INTEGER NOT NULL,
  PRIMARY KEY (shard_id, plan_id, upload_id),
  FOREIGN KEY (shard_id, plan_id) REFERENCES plans (shard_id, id)
);

-- A resident's comment on a plan in consultation, the unit's answer, and a
-- moderator's hiding of it (the text stays for the audit; the public sees
-- only the reason).
CREATE TABLE plan_comments (
  shard_id BIGINT NOT NULL,
  id BIGINT NOT NULL,
  plan_id BIGINT NOT NULL,
  account_id BIGINT,
  author_name VARCHAR(50) NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  answer VARCHAR(20) CHECK (answer IN ('adopted', 'partly_adopted', 'not_adopted')),
  answer_reason TEXT NOT NULL DEFAULT '',
  answered_at BIGINT,
  answered_by VARCHAR(100) NOT NULL DEFAULT '',
  hidden_reason TEXT,
  hidden_at BIGINT,
  hidden_by VARCHAR(100) NOT NULL DEFAULT '',
  PRIMARY KEY (shard_id, id),
  FOREIGN KEY (shard_id, plan_id) REFERENCES plans (shard_id, id)
);
CREATE INDEX plan_comments_plan ON plan_comments (shard_id, plan_id, created_at);

-- Anonymous comments counted per client address in a fixed window, in the
-- database so that several servers share the count. Transient rows keyed by
-- address: no shard.
CREATE TABLE comment_throttle (
  key VARCHAR(200) PRIMARY KEY,
  window_start_ms BIGINT NOT NULL,
  count BIGINT NOT NULL
);
